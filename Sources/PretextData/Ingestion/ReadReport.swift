/// What happened while reading a file: sizes, speed, and everything a user should be
/// told about (skipped rows, stray texts in numeric columns, inference notes).
public struct ReadReport: Sendable, Equatable {
    /// Stray texts found in a column that was otherwise numeric; read as missing.
    public struct StrayValues: Sendable, Equatable {
        public var column: String
        public var count: Int
        /// Up to three examples with their 1-based line.
        public var examples: [Example]
    }

    public struct Example: Sendable, Equatable {
        public var line: Int
        public var text: String
    }

    public var path: String
    /// Bytes on disk.
    public var fileBytes: Int
    /// Bytes of CSV text parsed (differs from `fileBytes` for gzip).
    public var textBytes: Int
    public var compressed: Bool
    public var seconds: Double
    public var delimiter: UInt8
    public var rows: Int
    public var columns: Int
    /// Rows dropped for having the wrong number of fields (`skipBadRows`).
    public var skippedRows: Int = 0
    /// 1-based lines of the first skipped rows (at most 10).
    public var skippedRowLines: [Int] = []
    public var strays: [StrayValues] = []
    /// Plain-words notes about inference decisions.
    public var notes: [String] = []

    /// Text bytes per second, in MB/s (10^6 bytes).
    public var megabytesPerSecond: Double { seconds > 0 ? Double(textBytes) / seconds / 1e6 : 0 }

    public var delimiterName: String {
        switch delimiter {
        case 0x2c: return "comma"
        case 0x3b: return "semicolon"
        case 0x09: return "tab"
        case 0x7c: return "pipe"
        default: return "\"\(Character(UnicodeScalar(delimiter)))\""
        }
    }
}
