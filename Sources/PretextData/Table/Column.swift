/// One column of a `Table`: a name, a type, a role and typed storage.
///
/// Missing values live in the storage itself, so a numeric column costs 4 bytes per
/// cell: NaN in `Float` and `Double` buffers, code −1 in categorical codes.
public struct Column: Sendable, Equatable {
    public enum Storage: Sendable, Equatable {
        case numeric([Float])                                   // (rows,)
        case categorical(codes: [Int32], vocabulary: [String])  // (rows,), code −1 = missing
        case datetime([Double])                                 // (rows,) seconds since epoch
    }

    public var name: String
    public var type: ColumnType
    public var role: ColumnRole
    public var storage: Storage
    /// For boolean columns: how the data spelled false and true (e.g. "no", "yes"), so
    /// text written back (labels, predictions) matches the input.
    public var booleanSpellings: [String]?

    public init(name: String, type: ColumnType, role: ColumnRole = .feature, storage: Storage, booleanSpellings: [String]? = nil) {
        self.name = name
        self.type = type
        self.role = role
        self.storage = storage
        self.booleanSpellings = booleanSpellings
    }

    public var count: Int {
        switch storage {
        case .numeric(let values): return values.count
        case .categorical(let codes, _): return codes.count
        case .datetime(let values): return values.count
        }
    }

    /// Whether row `row` is missing. Infinite numbers are values, not missing.
    public func isMissing(_ row: Int) -> Bool {
        switch storage {
        case .numeric(let values): return values[row].isNaN
        case .categorical(let codes, _): return codes[row] < 0
        case .datetime(let values): return values[row].isNaN
        }
    }

    /// The numeric values, or nil for a categorical or datetime column.
    public var floatValues: [Float]? {
        if case .numeric(let values) = storage { return values }
        return nil
    }

    /// The value of row `row` as text, as it would be written back to a CSV ("" if missing).
    public func text(at row: Int) -> String {
        switch storage {
        case .numeric(let values):
            let value = values[row]
            if value.isNaN { return "" }
            if type == .boolean {
                let spellings = booleanSpellings ?? ["false", "true"]
                return value != 0 ? spellings[1] : spellings[0]
            }
            if value == value.rounded(), abs(value) < 1e7 { return String(Int(value)) }
            return "\(value)"
        case .categorical(let codes, let vocabulary):
            return codes[row] < 0 ? "" : vocabulary[Int(codes[row])]
        case .datetime(let values):
            return values[row].isNaN ? "" : ISODate.format(values[row])
        }
    }

    /// Rows that are not missing.
    public var presentCount: Int {
        switch storage {
        case .numeric(let values): return values.reduce(0) { $0 + ($1.isNaN ? 0 : 1) }
        case .categorical(let codes, _): return codes.reduce(0) { $0 + ($1 < 0 ? 0 : 1) }
        case .datetime(let values): return values.reduce(0) { $0 + ($1.isNaN ? 0 : 1) }
        }
    }

    /// A copy with only the given rows, in the given order.
    public func selecting(rows: [Int]) -> Column {
        var copy = self
        switch storage {
        case .numeric(let values): copy.storage = .numeric(rows.map { values[$0] })
        case .categorical(let codes, let vocabulary): copy.storage = .categorical(codes: rows.map { codes[$0] }, vocabulary: vocabulary)
        case .datetime(let values): copy.storage = .datetime(rows.map { values[$0] })
        }
        return copy
    }
}
