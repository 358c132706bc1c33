/// Where a classification table keeps its series — what a series classifier stores so
/// that it reads new files the way it read its training file.
///
/// - wide (`seriesID == nil`): one series per row, `valueColumns` are the time steps in
///   order (the UCR layout); trailing missing steps make a shorter series.
/// - long: one row per (series, time); `valueColumns` are the channels, and every row
///   of a series carries the same class in the label column.
///
/// Either way `read` returns the series and, aligned with them, one row per series (the
/// row itself, or each series' first row) holding its id, label and pass-through
/// columns — the rows label budgets, validation splits and prediction files count.
public struct SeriesColumns: Codable, Sendable, Equatable {
    public var seriesID: String?
    public var time: String?
    /// Wide: time-step columns; long: channel columns. Empty = every numeric column that
    /// is not the id, time or label column.
    public var valueColumns: [String]

    public init(seriesID: String? = nil, time: String? = nil, valueColumns: [String] = []) {
        self.seriesID = seriesID
        self.time = time
        self.valueColumns = valueColumns
    }

    /// One series per row, `valueColumns` the time steps.
    public static func wide(_ valueColumns: [String] = []) -> SeriesColumns { SeriesColumns(valueColumns: valueColumns) }

    public var isLong: Bool { seriesID != nil }

    public var layout: SeriesLayout {
        if let seriesID { return .long(seriesID: seriesID, time: time ?? "") }
        return .wide
    }

    /// The columns a table must have: the id and time columns, then the values.
    public var requiredColumns: [String] { [seriesID, time].compactMap { $0 } + valueColumns }

    /// These columns with the value columns resolved against `table` (the defaults made
    /// explicit, so a model names exactly what it reads).
    public func resolved(in table: Table, labelColumn: String?) -> SeriesColumns {
        var copy = self
        copy.valueColumns = SeriesReader(layout: layout, valueColumns: valueColumns, labelColumn: labelColumn).valueColumnNames(in: table)
        return copy
    }

    /// The series of `table` (labels from `labelColumn` when given) and one row per
    /// series, in the same order.
    public func read(_ table: Table, labelColumn: String?) throws -> (series: SeriesCollection, rows: Table) {
        let collection = try SeriesReader(layout: layout, valueColumns: valueColumns, labelColumn: labelColumn).series(from: table)
        return (collection, try rows(in: table))
    }

    /// One row per series of `table` (the row itself, or each series' first), in the
    /// order `read` gives the series — without reading the series themselves.
    public func rows(in table: Table) throws -> Table {
        let rows = try SeriesReader(layout: layout, valueColumns: valueColumns).representativeRows(in: table)
        return rows.count == table.rowCount ? table : table.selecting(rows: rows)
    }

    private enum CodingKeys: String, CodingKey {
        case time
        case seriesID = "series_id"
        case valueColumns = "value_columns"
    }
}
