import ArgumentParser
import Pretext

@main
struct PretextCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pretext",
        abstract: "Self-supervised pretraining for tabular data and time series, measured against gradient-boosted trees.",
        discussion: """
        Start with `pretext inspect FILE --target COLUMN` to see how Pretext reads your CSV, \
        then `pretext fit` to pretrain and fine-tune, and `pretext predict` on new CSVs.

        Examples:
          pretext inspect datasets/credit_data.csv --target target
          pretext fit datasets/credit_data.csv --target target -o model.safetensors
          pretext predict model.safetensors datasets/credit_data.csv -o \\
              predictions.csv
          pretext series forecast datasets/airline.csv --time date --value \\
              passengers --horizon 12 -o forecast.csv
          pretext bench ingest
        """,
        version: "pretext \(PretextVersion.release)",
        subcommands: [InspectCommand.self, CacheCommand.self, PretrainCommand.self, FinetuneCommand.self, FitCommand.self,
                      PredictCommand.self, EmbedCommand.self, CompareCommand.self, SeriesCommand.self, BenchCommand.self,
                      StampSourcesCommand.self]
    )
}

/// Runs `body`, turning library errors into a one-paragraph message on stderr and
/// exit code 1 (ArgumentParser's own errors keep their usage text and code 64).
func reportingErrors(_ body: () throws -> Void) throws {
    try reportingErrors(distributed: false) { _ in try body() }
}

/// The same for a command that may run on several MPI ranks (`distributed`) and gets the
/// communicator. A command that does not, started by `mpirun` with several ranks, stops
/// with an error instead of running N copies that write the same files. A failure on
/// one rank ends every rank (MPI_Abort), so none waits forever in a collective.
func reportingErrors(distributed: Bool, _ body: (Communicator) throws -> Void) throws {
    var communicator = Communicator.single
    do {
        if let launcher = Communicator.foreignLauncher {
            throw DistributedError.unavailable("started by \(launcher) as several processes; Pretext runs on several ranks only "
                                               + "under Open MPI's mpirun (inside a Slurm allocation too), and one process needs no launcher")
        }
        if Communicator.launchedSize > 1 {
            guard distributed else {
                let words = CommandLine.arguments.dropFirst()
                throw DistributedError.unsupported("`pretext \(words.prefix(words.first == "series" ? 2 : 1).joined(separator: " "))`")
            }
            communicator = try Communicator.world()
        }
        try body(communicator)
    } catch {
        do { try describe(error) } catch {
            communicator.abort(code: (error as? ExitCode)?.rawValue ?? 1)
            throw error
        }
    }
}

/// Prints a library error as one paragraph and throws exit code 1; other errors
/// (ArgumentParser's exit codes among them) pass on.
private func describe(_ error: Error) throws {
    do {
        throw error
    } catch let error as DistributedError {
        printError("error: \(error.description)")
        throw ExitCode(1)
    } catch let error as DataError {
        printError("error: \(error.description)")
        throw ExitCode(1)
    } catch let error as TrainingError {
        printError("error: \(error.description)")
        throw ExitCode(1)
    } catch let error as ModelFileError {
        printError("error: \(error.description)")
        throw ExitCode(1)
    } catch let error as XGBoostError {
        printError("error: \(error.description)")
        throw ExitCode(1)
    } catch let error as SeriesError {
        printError("error: \(error.description)")
        throw ExitCode(1)
    } catch let error as BLAS.Failure {
        printError("error: \(error.description)")
        throw ExitCode(1)
    }
}

func printError(_ text: String) {
    var standardError = StandardError()
    print(text, to: &standardError)
}

struct StandardError: TextOutputStream {
    mutating func write(_ string: String) {
        FileHandleStderr.write(string)
    }
}
