/// The layout of a Pretext columnar cache file (`.pretext`), written by
/// `ColumnarCache.build` and memory-mapped by `CachedTable`.
///
/// ```
/// bytes 0..<8    magic "PRTXCACH"
/// bytes 8..<16   UInt64 little-endian: offset of the schema (JSON)
/// bytes 16..<24  UInt64 little-endian: length of the schema
/// bytes 24..<64  zero
/// 64…            column data, one region per column, each starting at a multiple of 64:
///                numeric and boolean Float32 (NaN = missing), categorical Int32 codes
///                (−1 = missing), datetime Float64 seconds since 1970 (NaN = missing);
///                all little-endian, rowCount values per region
/// schema offset  the schema: `CacheSchema` as JSON
/// ```
public enum CacheFormat {
    public static let magic = Array("PRTXCACH".utf8)
    public static let version = 1
    static let headerSize = 64
    static let alignment = 64

    /// Whether `bytes` (a file's first bytes) start like a cache file.
    public static func isCache(_ bytes: [UInt8]) -> Bool { bytes.count >= 8 && Array(bytes[0..<8]) == magic }
}

/// Everything about a cache file except its values.
public struct CacheSchema: Codable, Sendable, Equatable {
    public struct Column: Codable, Sendable, Equatable {
        public enum Storage: String, Codable, Sendable {
            case float32, int32, float64
            var width: Int { self == .float64 ? 8 : 4 }
        }
        public var name: String
        public var type: ColumnType
        public var storage: Storage
        /// Byte offset of the column's region in the file.
        public var offset: Int
        /// Categorical: code → text.
        public var vocabulary: [String]?
        /// Boolean: how the data spelled false and true.
        public var booleanSpellings: [String]?
    }

    public var formatVersion = CacheFormat.version
    /// The file the cache was built from, as given.
    public var source: String
    /// Bytes of text read from it (after decompression), and its field delimiter.
    public var sourceTextBytes: Int
    public var delimiter: UInt8
    public var rowCount: Int
    public var columns: [Column]
    /// `Table.contentFingerprint` of the cached table (every column a feature): the same
    /// data read by `CSVReader` has the same fingerprint.
    public var contentFingerprint: String
    /// What reading the source noticed (stray text in numeric columns, skipped rows, …).
    public var notes: [String]
    /// The Pretext release that wrote it.
    public var pretextVersion: String
}
