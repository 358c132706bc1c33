/// A dense row-major `Float` matrix of model inputs with named columns.
public struct FeatureMatrix: Sendable, Equatable {
    public var rows: Int
    public var columns: Int
    public var values: [Float]      // (rows, columns)
    public var names: [String]      // (columns,)

    public init(rows: Int, columns: Int, values: [Float], names: [String]) {
        precondition(values.count == rows * columns && names.count == columns, "shape mismatch")
        self.rows = rows
        self.columns = columns
        self.values = values
        self.names = names
    }

    public subscript(row: Int, column: Int) -> Float { values[row * columns + column] }
}

/// Where one source column's features sit in the feature matrix. Feature corruption
/// (SCARF) acts on whole blocks, so a categorical column is corrupted as one unit and a
/// missing indicator follows its column.
public struct FeatureBlock: Codable, Sendable, Equatable {
    public enum Kind: String, Codable, Sendable { case numeric, categorical }
    public var column: String
    public var kind: Kind
    /// First feature index and number of features (one-hot width, or 1).
    public var start: Int
    public var width: Int
    /// Index of this column's missing indicator, if it has one.
    public var missingIndicator: Int?

    public init(column: String, kind: Kind, start: Int, width: Int, missingIndicator: Int?) {
        self.column = column
        self.kind = kind
        self.start = start
        self.width = width
        self.missingIndicator = missingIndicator
    }
}
