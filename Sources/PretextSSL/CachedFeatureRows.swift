import PretextData
import PretextNN

/// Preprocessed rows of a columnar cache, gathered on demand: what pretraining reads
/// batch by batch from a table larger than memory.
public struct CachedFeatureRows: @unchecked Sendable {
    public let cache: CachedTable
    public let preprocessor: FittedPreprocessor
    public var columns: Int { preprocessor.featureNames.count }

    /// - Throws: `DataError.schemaMismatch` when the cache lacks a column the
    ///   preprocessing needs (checked once here, so gathering cannot fail later).
    public init(cache: CachedTable, preprocessor: FittedPreprocessor) throws {
        let missing = preprocessor.requiredColumns.filter { !cache.columnNames.contains($0) }
        guard missing.isEmpty else {
            throw DataError.schemaMismatch(missing: missing, reason: "The cache \(cache.path) lacks columns the preprocessing needs.")
        }
        self.cache = cache
        self.preprocessor = preprocessor
    }

    /// (rows.count, F): the features of cache rows `rows`, in order.
    public func rows(_ rows: [Int]) -> Matrix {
        // Every required column is present (init), the only way `transform` throws.
        guard let (features, _) = try? preprocessor.transform(cache.table(rows: rows)) else {
            preconditionFailure("CachedFeatureRows: transform failed although the columns were checked")
        }
        return Matrix(rows: features.rows, columns: features.columns, values: features.values)
    }
}
