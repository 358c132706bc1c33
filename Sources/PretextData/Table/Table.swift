/// A columnar table: equally long typed columns with roles.
///
/// Rows whose target is missing are *unlabeled*; they stay in the table for
/// pretraining and are excluded from supervised splits.
public struct Table: Sendable, Equatable {
    public var columns: [Column]
    /// Where the table came from (a path), for messages.
    public var source: String

    public init(columns: [Column], source: String = "<memory>") {
        precondition(Set(columns.map(\.count)).count <= 1, "columns of a table must have equal length")
        self.columns = columns
        self.source = source
    }

    public var rowCount: Int { columns.first?.count ?? 0 }
    public var columnNames: [String] { columns.map(\.name) }

    public func index(of name: String) -> Int? { columns.firstIndex { $0.name == name } }

    public subscript(name: String) -> Column? {
        guard let index = index(of: name) else { return nil }
        return columns[index]
    }

    /// The target column, if one has the `.target` role.
    public var target: Column? { columns.first { $0.role == .target } }

    /// Rows whose target is present (all rows if there is no target).
    public var labeledRows: [Int] {
        guard let target else { return Array(0..<rowCount) }
        return (0..<rowCount).filter { !target.isMissing($0) }
    }

    /// Rows whose target is missing.
    public var unlabeledRows: [Int] {
        guard let target else { return [] }
        return (0..<rowCount).filter { target.isMissing($0) }
    }

    /// Sets the role of the column called `name`.
    ///
    /// - Throws: `DataError.unknownColumn` listing close matches when there is no such column.
    public mutating func setRole(_ role: ColumnRole, for name: String) throws {
        guard let index = index(of: name) else {
            throw DataError.unknownColumn(path: source, name: name, role: role.rawValue,
                                          closeMatches: ColumnNameMatcher.closeMatches(to: name, in: columnNames))
        }
        columns[index].role = role
    }

    /// A table with only the given rows, in the given order.
    public func selecting(rows: [Int]) -> Table {
        Table(columns: columns.map { $0.selecting(rows: rows) }, source: source)
    }
}

/// Suggests column names close to a misspelt one.
public enum ColumnNameMatcher {
    /// Names within edit distance 3 (or matching case-insensitively, or containing the
    /// query), closest first, at most 5.
    public static func closeMatches(to query: String, in names: [String]) -> [String] {
        let lowered = query.lowercased()
        let scored = names.compactMap { name -> (String, Int)? in
            let candidate = name.lowercased()
            if candidate == lowered { return (name, 0) }
            if candidate.contains(lowered) || lowered.contains(candidate) { return (name, 1) }
            let distance = editDistance(Array(lowered.utf8), Array(candidate.utf8))
            return distance <= 3 ? (name, distance + 1) : nil
        }
        return scored.sorted { $0.1 < $1.1 || ($0.1 == $1.1 && $0.0 < $1.0) }.prefix(5).map(\.0)
    }

    static func editDistance(_ a: [UInt8], _ b: [UInt8]) -> Int {
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var previous = Array(0...b.count)
        var current = [Int](repeating: 0, count: b.count + 1)
        for i in 1...a.count {
            current[0] = i
            for j in 1...b.count {
                let cost = a[i - 1] == b[j - 1] ? 0 : 1
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            }
            swap(&previous, &current)
        }
        return previous[b.count]
    }
}
