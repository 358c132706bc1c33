import Foundation
/// Where in an input file something happened: the file, the 1-based line and,
/// when known, the column (its 1-based index and its name).
public struct SourceLocation: Sendable, Equatable, CustomStringConvertible {
    public var file: String
    public var line: Int?
    public var columnIndex: Int?
    public var columnName: String?

    public init(file: String, line: Int? = nil, columnIndex: Int? = nil, columnName: String? = nil) {
        self.file = file
        self.line = line
        self.columnIndex = columnIndex
        self.columnName = columnName
    }

    public var description: String {
        var text = file
        if let line { text += ":\(line)" }
        if let columnIndex {
            text += ", column \(columnIndex)"
            if let columnName { text += " (\"\(columnName)\")" }
        } else if let columnName {
            text += ", column \"\(columnName)\""
        }
        return text
    }
}

/// Every way reading or preparing data can fail. Each case carries where it happened
/// and what was found; `description` is a complete message with a hint.
public enum DataError: Error, Sendable, Equatable, CustomStringConvertible {
    case fileNotFound(path: String)
    case unreadable(path: String, reason: String)
    case emptyFile(path: String)
    case headerOnly(path: String)
    case notText(SourceLocation, reason: String)
    case invalidUTF8(SourceLocation, offendingText: String)
    case unterminatedQuote(SourceLocation)
    case malformedQuote(SourceLocation, offendingText: String)
    case raggedRow(SourceLocation, expected: Int, actual: Int)
    case emptyColumnName(SourceLocation)
    case duplicateColumnName(SourceLocation, name: String, firstIndex: Int)
    case valueOutOfRange(SourceLocation, offendingText: String)
    case corruptCompressedFile(path: String, reason: String)
    case unknownColumn(path: String, name: String, role: String, closeMatches: [String])
    case invalidTarget(path: String, column: String, reason: String)
    case invalidOption(name: String, value: String, reason: String)
    case invalidLabelBudget(text: String, reason: String)
    case schemaMismatch(missing: [String], reason: String)
    case unwritable(path: String, reason: String)
    /// A Pretext cache file (`.pretext`) that is damaged, truncated or of a newer format.
    case corruptCache(path: String, reason: String)

    public var description: String {
        switch self {
        case .fileNotFound(let path):
            return "\(path): no such file.\n  hint: check the path; inputs may be .csv, .tsv or .csv.gz files."
        case .unreadable(let path, let reason):
            return "\(path): cannot be read: \(reason)."
        case .emptyFile(let path):
            return "\(path): the file is empty.\n  hint: a CSV needs a header row and at least one data row."
        case .headerOnly(let path):
            return "\(path): the file has a header row but no data rows."
        case .notText(let location, let reason):
            return "\(location): this does not look like a text CSV file: \(reason).\n  hint: Pretext reads UTF-8 CSV (optionally gzip-compressed)."
        case .invalidUTF8(let location, let text):
            return "\(location): invalid UTF-8 in field \(Self.quote(text)).\n  hint: re-encode the file as UTF-8 (e.g. iconv -f latin1 -t utf-8)."
        case .unterminatedQuote(let location):
            return "\(location): a quoted field starts here and is never closed.\n  hint: every opening \" needs a closing \"; a literal quote inside a quoted field is written \"\"."
        case .malformedQuote(let location, let text):
            return "\(location): misplaced quote near \(Self.quote(text)).\n  hint: a field containing \" must be quoted as a whole, with inner quotes doubled: \"5'11\"\"\"."
        case .raggedRow(let location, let expected, let actual):
            return "\(location): expected \(expected) fields (as in the header) but found \(actual).\n  hint: check for an unquoted delimiter inside a value, or pass --skip-bad-rows to drop such rows and count them."
        case .emptyColumnName(let location):
            return "\(location): the header has an empty column name.\n  hint: name every column, or pass --no-header if the first row is data."
        case .duplicateColumnName(let location, let name, let firstIndex):
            return "\(location): column name \"\(name)\" appears twice (first as column \(firstIndex)).\n  hint: column names must be unique."
        case .valueOutOfRange(let location, let text):
            return "\(location): \(Self.quote(text)) is outside the 32-bit float range (±3.4e38).\n  hint: rescale the column (e.g. log or divide by a constant) before training."
        case .corruptCompressedFile(let path, let reason):
            return "\(path): the gzip data is damaged or truncated: \(reason).\n  hint: re-download or re-compress the file; `gzip -t` checks it."
        case .unknownColumn(let path, let name, let role, let matches):
            let suggestion = matches.isEmpty ? "" : " Did you mean \(matches.map { "\"\($0)\"" }.joined(separator: ", "))?"
            return "\(path): there is no column \"\(name)\" (given as \(role)).\(suggestion)\n  hint: `pretext inspect \(path)` lists the columns."
        case .invalidTarget(let path, let column, let reason):
            return "\(path): target column \"\(column)\" cannot be used: \(reason)."
        case .invalidOption(let name, let value, let reason):
            return "invalid value \"\(value)\" for \(name): \(reason)."
        case .invalidLabelBudget(let text, let reason):
            return "invalid label budget \"\(text)\": \(reason).\n  hint: write a percentage of the training rows (\"5%\") or a row count (\"100\")."
        case .unwritable(let path, let reason):
            return "\(path): cannot write the file: \(reason)."
        case .corruptCache(let path, let reason):
            return "\(path): not a usable Pretext cache: \(reason).\n  hint: build it again from the CSV with `pretext cache`."
        case .schemaMismatch(let missing, let reason):
            return "the input lacks \(missing.count) needed column(s): \(missing.joined(separator: ", ")). \(reason)"
        }
    }

    /// Quotes offending text for a message, truncated to 60 characters.
    static func quote(_ text: String) -> String {
        let limit = 60
        let shown = text.count > limit ? String(text.prefix(limit)) + "…" : text
        return "\"" + shown.replacingOccurrences(of: "\n", with: "\\n").replacingOccurrences(of: "\r", with: "\\r") + "\""
    }
}

/// Library users get the CLI's message from `localizedDescription`.
extension DataError: LocalizedError {
    public var errorDescription: String? { description }
}
