import Foundation

/// Everything `pretext inspect` shows about a file: size and speed, one line per
/// column, the target's task and class balance, and the reader's notes.
public struct InspectionReport: Sendable {
    public var read: ReadReport
    public var columns: [ColumnSummary]
    public var targetName: String?
    public var task: TaskType?
    /// For classification: each class with its count, most frequent first.
    public var classCounts: [(name: String, count: Int)] = []
    public var labeledRows: Int
    public var unlabeledRows: Int

    /// Summarises `table` (read by `read`); with a target, infers its task.
    public init(table: Table, read: ReadReport, target: String? = nil) throws {
        var table = table
        self.read = read
        if let target { try table.setRole(.target, for: target) }
        columns = ColumnSummary.summaries(of: table.columns)
        targetName = target
        labeledRows = table.target?.presentCount ?? table.rowCount
        unlabeledRows = table.rowCount - labeledRows
        if let column = table.target {
            let task = try TaskType.infer(for: column, path: read.path)
            self.task = task
            if task.isClassification {
                var counts: [String: Int] = [:]
                for (text, count) in Self.classCounts(column) { counts[text, default: 0] += count }
                classCounts = counts.sorted { $0.value > $1.value || ($0.value == $1.value && $0.key < $1.key) }.map { ($0.key, $0.value) }
            }
        }
    }

    /// Each present value of `column` as it is written back, with its count: counted by
    /// code or bit pattern, and each distinct value turned into text once (a `String`
    /// per row cost more than the read of a million rows). Values whose texts coincide
    /// (0 and −0) come as separate entries.
    static func classCounts(_ column: Column) -> [(text: String, count: Int)] {
        switch column.storage {
        case .categorical(let codes, let vocabulary):
            var byCode = [Int](repeating: 0, count: vocabulary.count)
            for code in codes where code >= 0 { byCode[Int(code)] += 1 }
            return byCode.indices.filter { byCode[$0] > 0 }.map { (vocabulary[$0], byCode[$0]) }
        case .numeric(let values):
            return countsByKey(values) { $0.isNaN ? nil : $0.bitPattern }.map { (column.text(at: $0.row), $0.count) }
        case .datetime(let values):
            return countsByKey(values) { $0.isNaN ? nil : $0.bitPattern }.map { (column.text(at: $0.row), $0.count) }
        }
    }

    /// For each distinct non-nil key of `values`, its first row and how many rows have it.
    private static func countsByKey<Value, Key: Hashable>(_ values: [Value], _ key: (Value) -> Key?) -> [(row: Int, count: Int)] {
        var counts: [Key: (row: Int, count: Int)] = [:]
        for (row, value) in values.enumerated() {
            if let key = key(value) { counts[key, default: (row, 0)].count += 1 }
        }
        return Array(counts.values)
    }

    /// The report as aligned plain text.
    public func render() -> String {
        var lines: [String] = []
        let size = read.compressed
            ? "\(Self.bytes(read.fileBytes)) gzip (\(Self.bytes(read.textBytes)) of text)"
            : Self.bytes(read.fileBytes)
        lines.append("\(read.path): \(read.rows) rows × \(read.columns) columns, \(read.delimiterName)-delimited, \(size)")
        lines.append(String(format: "read in %.3f s (%.1f MB/s)", read.seconds, read.megabytesPerSecond))
        lines.append("")
        var rows: [[String]] = [["#", "column", "type", "missing", "distinct", "summary"]]
        for (index, column) in columns.enumerated() {
            var type = column.type.rawValue
            if column.type == .numeric && column.isIntegral { type += " (int)" }
            if column.role != .feature { type += " [\(column.role.rawValue)]" }
            rows.append([String(index + 1), column.name, type, String(format: "%.1f%%", column.missingFraction * 100),
                         column.distinctText, column.summaryText])
        }
        lines.append(contentsOf: Self.align(rows))
        if let targetName, let task {
            lines.append("")
            var text = "target \"\(targetName)\": "
            switch task {
            case .regression:
                let summary = columns.first { $0.name == targetName }
                text += "regression (\(summary?.summaryText ?? ""))"
            case .binaryClassification, .multiclassClassification:
                let total = max(1, classCounts.reduce(0) { $0 + $1.count })
                let shown = classCounts.prefix(10).map {
                    "\($0.name) \($0.count) (\(String(format: "%.1f", Double($0.count) * 100 / Double(total)))%)"
                }
                text += "\(task == .binaryClassification ? "binary" : "multiclass") classification, \(classCounts.count) classes: "
                    + shown.joined(separator: ", ") + (classCounts.count > 10 ? ", …" : "")
            }
            lines.append(text)
            lines.append("labeled rows: \(labeledRows); unlabeled rows (target missing, used for pretraining): \(unlabeledRows)")
        }
        if !read.notes.isEmpty {
            lines.append("")
            lines.append("notes:")
            lines.append(contentsOf: read.notes.map { "  - \($0)" })
        }
        return lines.joined(separator: "\n")
    }

    static func bytes(_ count: Int) -> String {
        if count >= 1_000_000 { return String(format: "%.1f MB", Double(count) / 1e6) }
        if count >= 1_000 { return String(format: "%.1f KB", Double(count) / 1e3) }
        return "\(count) B"
    }

    /// Left-aligns text columns with two spaces between them.
    static func align(_ rows: [[String]]) -> [String] {
        guard let width = rows.first?.count else { return [] }
        let widths = (0..<width).map { column in rows.map { $0[column].count }.max() ?? 0 }
        return rows.map { row in
            row.enumerated().map { index, cell in
                index == width - 1 ? cell : cell + String(repeating: " ", count: widths[index] - cell.count)
            }.joined(separator: "  ")
        }
    }
}
