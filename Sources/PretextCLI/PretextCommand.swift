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
        subcommands: [InspectCommand.self, PretrainCommand.self, FinetuneCommand.self, FitCommand.self,
                      PredictCommand.self, EmbedCommand.self, CompareCommand.self, SeriesCommand.self, BenchCommand.self]
    )
}

/// Runs `body`, turning library errors into a one-paragraph message on stderr and
/// exit code 1 (ArgumentParser's own errors keep their usage text and code 64).
func reportingErrors(_ body: () throws -> Void) throws {
    do {
        try body()
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
