import ArgumentParser
import Pretext

/// The CSV-reading flags every command that reads a data file shares.
struct ReadOptionsGroup: ParsableArguments {
    @Option(name: .long, help: "Field delimiter: ',', ';', 'tab', '|' (default: detected from the first lines).")
    var delimiter: String?

    @Flag(name: .long, help: "The first row is data, not column names (columns become column_1, column_2, …).")
    var noHeader = false

    @Option(name: .long, help: "Comma-separated texts read as missing, replacing the defaults (NA,N/A,NaN,nan,null,NULL,None,?). Empty fields are always missing. A list that starts with - takes the = form: --missing=-,n/a.")
    var missing: String?

    @Flag(name: .long, help: "Skip rows with the wrong number of fields and report how many, instead of failing.")
    var skipBadRows = false

    @Option(name: .long, help: "Read this column as categorical whatever it holds, e.g. zip codes (repeatable, or comma-separated).")
    var categorical: [String] = []

    @Option(name: .long, help: "Threads for parsing and matrix arithmetic (default: all cores).")
    var threads: Int?

    func validate() throws {
        if let delimiter { _ = try parseDelimiter(delimiter) }
        if let threads, threads < 1 { throw ValidationError("--threads must be at least 1 (got \(threads)).") }
    }

    func readOptions() throws -> ReadOptions {
        var options = ReadOptions()
        options.delimiter = try delimiter.map(parseDelimiter)
        options.hasHeader = !noHeader
        if let missing { options.missingTokens = Set(missing.split(separator: ",", omittingEmptySubsequences: false).map(String.init)) }
        options.skipBadRows = skipBadRows
        for name in categorical.flatMap({ $0.split(separator: ",").map(String.init) }) { options.columnTypes[name] = .categorical }
        options.threads = threads
        return options
    }

    private func parseDelimiter(_ text: String) throws -> UInt8 {
        switch text {
        case "tab", "\\t", "\t": return 0x09
        case "comma": return 0x2c
        case "semicolon": return 0x3b
        case "pipe": return 0x7c
        default:
            guard text.utf8.count == 1, let byte = text.utf8.first, byte != 0x22, byte != 0x0a, byte != 0x0d else {
                throw ValidationError("--delimiter must be one character such as ',', ';', '|' or the word 'tab' (got \"\(text)\").")
            }
            return byte
        }
    }
}
