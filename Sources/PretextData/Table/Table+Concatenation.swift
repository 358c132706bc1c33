/// Stacking tables with the same columns (matched by name, in any order).
public extension Table {
    /// The rows of `self` followed by the rows of `other`.
    ///
    /// Columns are matched by name; `other`'s extra columns are dropped. A feature column
    /// missing from `other` is an error; a missing target, id or ignored column is filled
    /// with missing values (unlabeled files usually have no target). Categorical
    /// vocabularies are merged; a column numeric in one table and categorical in the
    /// other is kept categorical (numbers written as text).
    func concatenating(_ other: Table) throws -> Table {
        let missing = columns.filter { $0.role == .feature && other.index(of: $0.name) == nil }.map(\.name)
        guard missing.isEmpty else {
            throw DataError.schemaMismatch(missing: missing, reason: "\(other.source) must have every feature column of \(source).")
        }
        let columns = self.columns.map { column -> Column in
            let extra = other[column.name] ?? Column(name: column.name, type: column.type, storage: {
                switch column.storage {
                case .numeric: return .numeric([Float](repeating: .nan, count: other.rowCount))
                case .datetime: return .datetime([Double](repeating: .nan, count: other.rowCount))
                case .categorical(_, let vocabulary): return .categorical(codes: [Int32](repeating: -1, count: other.rowCount), vocabulary: vocabulary)
                }
            }())
            var merged = column
            switch (column.storage, extra.storage) {
            case (.numeric(let a), .numeric(let b)):
                merged.storage = .numeric(a + b)
            case (.datetime(let a), .datetime(let b)):
                merged.storage = .datetime(a + b)
            default:
                var vocabulary: [String] = []
                var lookup: [String: Int32] = [:]
                func code(_ column: Column, _ row: Int) -> Int32 {
                    if column.isMissing(row) { return -1 }
                    let text = column.text(at: row)
                    if let known = lookup[text] { return known }
                    let new = Int32(vocabulary.count)
                    lookup[text] = new
                    vocabulary.append(text)
                    return new
                }
                let codes = (0..<column.count).map { code(column, $0) } + (0..<extra.count).map { code(extra, $0) }
                merged.type = .categorical
                merged.storage = .categorical(codes: codes, vocabulary: vocabulary)
            }
            return merged
        }
        return Table(columns: columns, source: source)
    }
}
