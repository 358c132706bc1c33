/// How a CSV holds its series.
public enum SeriesLayout: Sendable, Equatable {
    /// Many series stacked: one row per (series, time), one or more value columns.
    case long(seriesID: String, time: String)
    /// One series per row, columns in time order (the UCR/UEA archive's layout), with an
    /// optional class column.
    case wide
    /// One series: a time column (or none: rows in order) and value columns.
    case single(time: String?)
}

/// What to put in missing time steps — only when asked (`--fill`): without it a gap is
/// an error that says where it is.
public enum GapFill: String, Codable, Sendable, CaseIterable {
    /// The last value before the gap.
    case forward
    /// Straight line between the values on both sides, per channel.
    case linear
    case zero
    /// Insert the steps as missing values (masked in training and never read as zeros).
    case missing
}

/// Turns a `Table` into a `SeriesCollection`: groups rows by series, sorts by time,
/// detects the frequency, and reports duplicate stamps, gaps and irregular steps.
///
/// ```swift
/// let (table, _) = try CSVReader().read("datasets/airline.csv")
/// let airline = try SeriesReader(layout: .single(time: "date"), valueColumns: ["passengers"]).series(from: table)
/// ```
public struct SeriesReader: Sendable {
    public var layout: SeriesLayout
    /// Value columns, in channel order; empty = every numeric column that is not the
    /// time, series-id or label column.
    public var valueColumns: [String]
    /// The class column of a wide file (read as each series' label).
    public var labelColumn: String?
    public var fill: GapFill?

    public init(layout: SeriesLayout, valueColumns: [String] = [], labelColumn: String? = nil, fill: GapFill? = nil) {
        self.layout = layout
        self.valueColumns = valueColumns
        self.labelColumn = labelColumn
        self.fill = fill
    }

    /// The value columns in channel order: `valueColumns` when given, else every numeric
    /// (or boolean) column that is not the time, series-id or label column.
    public func valueColumnNames(in table: Table) -> [String] {
        guard valueColumns.isEmpty else { return valueColumns }
        var reserved: Set<String> = labelColumn.map { [$0] } ?? []
        switch layout {
        case .long(let id, let time): reserved.formUnion([id, time])
        case .single(let time): if let time { reserved.insert(time) }
        case .wide: break
        }
        return table.columns.filter { !reserved.contains($0.name) && ($0.type == .numeric || $0.type == .boolean) && ($0.role == .feature || $0.role == .target) }
            .map(\.name)
    }

    /// `--fill` adds at most `fillFactor` × the series' rows (and at least
    /// `minimumFillLimit`) steps to one series.
    public static let fillFactor = 10
    public static let minimumFillLimit = 1_000

    public func series(from table: Table) throws -> SeriesCollection {
        let path = table.source
        func column(_ name: String, _ role: String) throws -> Column {
            guard let column = table[name] else {
                throw DataError.unknownColumn(path: path, name: name, role: role, closeMatches: ColumnNameMatcher.closeMatches(to: name, in: table.columnNames))
            }
            return column
        }
        if let labelColumn { _ = try column(labelColumn, "--target") }
        let values = try valueColumnNames(in: table).map { try column($0, "--value") }
        for value in values where value.floatValues == nil { throw SeriesError.notNumeric(path: path, column: value.name) }
        guard !values.isEmpty else { throw SeriesError.noValueColumns(path: path) }
        let numbers = values.map { $0.floatValues! }
        for (column, numbers) in zip(values, numbers) {
            if let row = numbers.firstIndex(where: \.isInfinite) {
                throw SeriesError.infiniteValue(path: path, column: column.name, row: row, value: numbers[row])
            }
        }
        let label = try labelColumn.map { try column($0, "--target") }

        switch layout {
        case .wide:
            var series: [TimeSeries] = []
            for row in 0..<table.rowCount {
                var length = numbers.count
                while length > 0 && numbers[length - 1][row].isNaN { length -= 1 }   // unequal lengths: trailing missing
                series.append(TimeSeries(id: String(row + 1), times: (0..<length).map(Double.init), values: (0..<length).map { numbers[$0][row] },
                                         channels: 1, label: label.flatMap { $0.isMissing(row) ? nil : $0.text(at: row) }))
            }
            // Series i is row i, even when empty, so labels and rows stay aligned.
            guard series.contains(where: { $0.length > 0 }) else { throw SeriesError.noSeries(path: path, reason: "every row is empty") }
            return SeriesCollection(series: series, channelNames: ["value"], axis: .index, source: path, labelColumn: labelColumn)

        case .single(let timeName):
            let time = try timeName.map { try column($0, "--time") }
            let name = path.lastComponent
            return try assemble(groups: [(name, Array(0..<table.rowCount))], time: time, numbers: numbers, names: values.map(\.name), path: path)

        case .long(let idName, let timeName):
            let id = try column(idName, "--series-id"), time = try column(timeName, "--time")
            var order: [String] = [], rowsByID: [String: [Int]] = [:]
            for row in 0..<table.rowCount {
                let key = id.text(at: row)
                if rowsByID[key] == nil { order.append(key) }
                rowsByID[key, default: []].append(row)
            }
            var collection = try assemble(groups: order.map { ($0, rowsByID[$0]!) }, time: time, numbers: numbers, names: values.map(\.name), path: path)
            if let label {
                for (index, key) in order.enumerated() {
                    collection.series[index].label = try Self.seriesLabel(label, rows: rowsByID[key]!, series: key, path: path)
                }
                collection.labelColumn = label.name
            }
            return collection
        }
    }

    /// The rows of `table` that stand for its series, in the collection's order: the row
    /// itself (wide), the first row of each series (long), the first row (single). The
    /// id, label and pass-through columns of a series are read from this row.
    public func representativeRows(in table: Table) throws -> [Int] {
        switch layout {
        case .wide: return Array(0..<table.rowCount)
        case .single: return table.rowCount > 0 ? [0] : []
        case .long(let idName, _):
            guard let id = table[idName] else {
                throw DataError.unknownColumn(path: table.source, name: idName, role: "--series-id",
                                              closeMatches: ColumnNameMatcher.closeMatches(to: idName, in: table.columnNames))
            }
            var seen: Set<String> = [], rows: [Int] = []
            for row in 0..<table.rowCount where seen.insert(id.text(at: row)).inserted { rows.append(row) }
            return rows
        }
    }

    /// A long-layout series' class: the label column must hold one value on every row
    /// of the series (or be missing on all of them: unlabeled).
    static func seriesLabel(_ label: Column, rows: [Int], series: String, path: String) throws -> String? {
        var value: String?, first = rows[0]
        for row in rows where !label.isMissing(row) {
            let text = label.text(at: row)
            if let value, value != text {
                throw SeriesError.inconsistentLabel(path: path, column: label.name, series: series, first: value, firstRow: first, other: text, otherRow: row)
            }
            if value == nil { (value, first) = (text, row) }
        }
        if value != nil, let unlabeled = rows.first(where: { label.isMissing($0) }) {
            throw SeriesError.inconsistentLabel(path: path, column: label.name, series: series, first: value!, firstRow: first, other: "", otherRow: unlabeled)
        }
        return value
    }

    private func assemble(groups: [(String, [Int])], time: Column?, numbers: [[Float]], names: [String], path: String) throws -> SeriesCollection {
        let channels = numbers.count
        var stamps: [[Double]] = []
        var sortedRows: [[Int]] = []
        for (id, rows) in groups {
            var times: [Double] = []
            if let time {
                for row in rows {
                    let value: Double
                    switch time.storage {
                    case .datetime(let seconds): value = seconds[row]
                    case .numeric(let numbers): value = Double(numbers[row])
                    case .categorical:
                        throw SeriesError.badTimeColumn(path: path, column: time.name, example: time.text(at: row))
                    }
                    guard !value.isNaN else { throw SeriesError.missingTime(path: path, column: time.name, row: row) }
                    guard value.isFinite else { throw SeriesError.infiniteValue(path: path, column: time.name, row: row, value: Float(value)) }
                    times.append(value)
                }
            } else {
                times = rows.indices.map(Double.init)
            }
            let order = times.indices.sorted { times[$0] < times[$1] || (times[$0] == times[$1] && $0 < $1) }
            let sortedTimes = order.map { times[$0] }, rowsInOrder = order.map { rows[$0] }
            var index = 1
            while index < sortedTimes.count {
                if sortedTimes[index] == sortedTimes[index - 1] {
                    var duplicates = [rowsInOrder[index - 1]]
                    while index < sortedTimes.count && sortedTimes[index] == sortedTimes[index - 1] { duplicates.append(rowsInOrder[index]); index += 1 }
                    let label = time.map { $0.type == .datetime ? ISODate.format(sortedTimes[index - 1]) : TimeAxis.index.format(sortedTimes[index - 1]) } ?? ""
                    throw SeriesError.duplicateTime(path: path, series: id, time: label, rows: duplicates.sorted())
                }
                index += 1
            }
            stamps.append(sortedTimes)
            sortedRows.append(rowsInOrder)
        }
        let axis = TimeAxis.detect(sortedTimes: stamps, isDate: time?.type == .datetime)
        var series: [TimeSeries] = []
        var gapCount = 0
        var firstGap: (String, Double, Double, Int)?
        for ((id, _), (times, rows)) in zip(groups, zip(stamps, sortedRows)) {
            var outTimes: [Double] = [], outValues: [Float] = []
            // A fill may add at most this many steps to a series: a stray time stamp (a
            // year typed wrong) must give an error, not a series of millions of filled steps.
            let fillLimit = max(Self.minimumFillLimit, Self.fillFactor * rows.count)
            var filled = 0
            for (position, row) in rows.enumerated() {
                if position > 0 {
                    let steps = axis.steps(from: times[position - 1], to: times[position])
                    let whole = steps.rounded()
                    guard abs(steps - whole) < 1e-6 else {
                        throw SeriesError.irregularTime(path: path, series: id, after: axis.format(times[position - 1]),
                                                        before: axis.format(times[position]), frequency: axis.description)
                    }
                    if whole > 1 {
                        // A stray stamp can be 10²³ steps away: saturate instead of trapping.
                        let missing = whole - 1 < 9e18 ? Int(whole) - 1 : Int.max
                        gapCount += 1
                        if firstGap == nil { firstGap = (id, times[position - 1], times[position], missing) }
                        if let fill {
                            guard missing <= fillLimit - filled else {
                                throw SeriesError.fillTooLarge(path: path, series: id, after: axis.format(times[position - 1]),
                                                               before: axis.format(times[position]), missingSteps: missing, limit: fillLimit,
                                                               frequency: axis.description)
                            }
                            filled += missing
                            let previous = Array(outValues.suffix(channels)), next = (0..<channels).map { numbers[$0][row] }
                            for step in 1...missing {
                                outTimes.append(axis.advance(times[position - 1], by: step))
                                for channel in 0..<channels {
                                    switch fill {
                                    case .forward: outValues.append(previous[channel])
                                    case .linear: outValues.append(previous[channel] + (next[channel] - previous[channel]) * Float(step) / Float(missing + 1))
                                    case .zero: outValues.append(0)
                                    case .missing: outValues.append(.nan)
                                    }
                                }
                            }
                        }
                    }
                }
                outTimes.append(times[position])
                for channel in 0..<channels { outValues.append(numbers[channel][row]) }
            }
            series.append(TimeSeries(id: id, times: outTimes, values: outValues, channels: channels))
        }
        if fill == nil, let (id, after, before, missing) = firstGap {
            throw SeriesError.gaps(path: path, series: id, after: axis.format(after), before: axis.format(before), missingSteps: missing,
                                   totalGaps: gapCount, frequency: axis.description)
        }
        return SeriesCollection(series: series, channelNames: names, axis: axis, source: path)
    }
}

extension String {
    /// The last path component ("airline.csv" for "datasets/airline.csv").
    var lastComponent: String { split(separator: "/").last.map(String.init) ?? self }
}
