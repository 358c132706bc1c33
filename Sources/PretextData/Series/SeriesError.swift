import Foundation
/// Every way turning a table into time series can fail. Each case names the file, the
/// series and the rows or time stamps involved; `description` is a complete message
/// with a hint.
public enum SeriesError: Error, Sendable, Equatable, CustomStringConvertible {
    case missingTime(path: String, column: String, row: Int)
    case duplicateTime(path: String, series: String, time: String, rows: [Int])
    case gaps(path: String, series: String, after: String, before: String, missingSteps: Int, totalGaps: Int, frequency: String)
    case irregularTime(path: String, series: String, after: String, before: String, frequency: String)
    case notNumeric(path: String, column: String)
    /// An infinite value (spelled `inf` or `infinity`; numbers beyond Float's range are
    /// already refused by the reader): a series step must be a finite number or missing.
    case infiniteValue(path: String, column: String, row: Int, value: Float)
    case badTimeColumn(path: String, column: String, example: String)
    case noValueColumns(path: String)
    case tooShort(path: String, series: String, length: Int, needed: Int, purpose: String)
    case noSeries(path: String, reason: String)
    case channelMismatch(expected: [String], found: [String])
    /// Filling a series' gaps would add more steps than `limit`.
    case fillTooLarge(path: String, series: String, after: String, before: String, missingSteps: Int, limit: Int, frequency: String)
    /// A long-layout series whose rows disagree about its class (`other` empty: missing).
    case inconsistentLabel(path: String, column: String, series: String, first: String, firstRow: Int, other: String, otherRow: Int)

    public var description: String {
        switch self {
        case .missingTime(let path, let column, let row):
            return "\(path): row \(row + 1) (line \(row + 2)) has no value in the time column \"\(column)\".\n  hint: every row of a series needs a time stamp."
        case .infiniteValue(let path, let column, let row, let value):
            return "\(path): row \(row + 1) (line \(row + 2)), column \"\(column)\" is \(value > 0 ? "+" : "-")infinity (written inf or infinity in the file).\n  hint: a series value must be a finite number; leave the field empty to mark it missing."
        case .duplicateTime(let path, let series, let time, let rows):
            return "\(path): series \(series) has \(rows.count) rows at time \(time) (rows \(rows.map { String($0 + 1) }.joined(separator: ", ")), lines \(rows.map { String($0 + 2) }.joined(separator: ", "))).\n  hint: aggregate duplicates before training (one row per series and time), or pass --series-id if the file holds several series."
        case .gaps(let path, let series, let after, let before, let missingSteps, let totalGaps, let frequency):
            return "\(path): series \(series) is \(frequency) but jumps from \(after) to \(before) (\(missingSteps) missing step\(missingSteps == 1 ? "" : "s")); \(totalGaps) gap\(totalGaps == 1 ? "" : "s") in all.\n  hint: pass --fill forward|linear|zero to fill gaps, or --fill missing to keep them as missing values (masked in training)."
        case .irregularTime(let path, let series, let after, let before, let frequency):
            return "\(path): series \(series) is mostly \(frequency) but steps from \(after) to \(before), which is not a whole number of steps.\n  hint: resample the series to a regular frequency first."
        case .notNumeric(let path, let column):
            return "\(path): column \"\(column)\" is not numeric and cannot be a series value.\n  hint: series values must be numbers; `pretext inspect \(path)` shows each column's type."
        case .badTimeColumn(let path, let column, let example):
            return "\(path): time column \"\(column)\" holds text such as \"\(example)\", not dates or numbers.\n  hint: write times as ISO 8601 (2024-01-31, 2024-01-31T08:00, 2024-01) or as integers."
        case .noValueColumns(let path):
            return "\(path): no numeric value columns found.\n  hint: name them with --value COLUMN."
        case .tooShort(let path, let series, let length, let needed, let purpose):
            return "\(path): series \(series) has \(length) time steps; \(purpose) needs at least \(needed).\n  hint: lower --lookback or --horizon, or give a longer series."
        case .noSeries(let path, let reason):
            return "\(path): no usable series: \(reason)."
        case .channelMismatch(let expected, let found):
            return "the series have channels \(found.joined(separator: ", ")) but the model expects \(expected.joined(separator: ", ")).\n  hint: give the same value columns (--value) as in training."
        case .fillTooLarge(let path, let series, let after, let before, let missingSteps, let limit, let frequency):
            return "\(path): series \(series) is \(frequency) but jumps from \(after) to \(before) (\(missingSteps) missing steps); --fill would add more than \(limit) steps to it (10 per row of the series).\n  hint: check that time stamp (a mistyped year or unit?), or resample the series before reading it."
        case .inconsistentLabel(let path, let column, let series, let first, let firstRow, let other, let otherRow):
            let found = other.isEmpty ? "no value" : "\"\(other)\""
            return "\(path): series \(series) has \"\(first)\" in \"\(column)\" on line \(firstRow + 2) but \(found) on line \(otherRow + 2).\n  hint: a series has one class; give every row of a series the same \(column) (or leave it empty on all of them for an unlabeled series)."
        }
    }
}

/// Library users get the CLI's message from `localizedDescription`.
extension SeriesError: LocalizedError {
    public var errorDescription: String? { description }
}
