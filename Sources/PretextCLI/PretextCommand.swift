import ArgumentParser
import Pretext

@main
struct PretextCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pretext",
        abstract: "Self-supervised pretraining for tabular data and time series, measured against gradient-boosted trees.",
        discussion: """
        Start with `pretext inspect FILE --target COLUMN` to see how Pretext reads your CSV.

        Examples:
          pretext inspect datasets/credit_data.csv --target target
          pretext bench ingest
        """,
        subcommands: [InspectCommand.self, BenchCommand.self]
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
