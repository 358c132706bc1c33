#if canImport(Glibc)
import Glibc
#endif

/// Writes a CSV (RFC 4180): comma-separated, LF line ends, a field quoted only when it
/// contains a comma, quote, CR or LF (inner quotes doubled). Output goes atomically to a
/// file, or to standard output for the path `-`.
public struct CSVWriter {
    public var header: [String]
    private var bytes: [UInt8] = []
    /// Rows appended after the header.
    public private(set) var rowCount = 0
    private var headerBytes = 0

    public init(header: [String]) {
        self.header = header
        appendRow(header)
        rowCount = 0
        headerBytes = bytes.count
    }

    /// The encoded header line.
    public var headerLine: ArraySlice<UInt8> { bytes[..<headerBytes] }
    /// The encoded rows after the header (what `CSVStream` appends chunk by chunk).
    public var body: ArraySlice<UInt8> { bytes[headerBytes...] }

    public mutating func appendRow(_ fields: [String]) {
        precondition(fields.count == header.count, "row has \(fields.count) fields, header \(header.count)")
        for (index, field) in fields.enumerated() {
            if index > 0 { bytes.append(0x2c) }
            let utf8 = Array(field.utf8)
            if utf8.contains(where: { $0 == 0x2c || $0 == 0x22 || $0 == 0x0a || $0 == 0x0d }) {
                bytes.append(0x22)
                for byte in utf8 {
                    if byte == 0x22 { bytes.append(0x22) }
                    bytes.append(byte)
                }
                bytes.append(0x22)
            } else {
                bytes.append(contentsOf: utf8)
            }
        }
        bytes.append(0x0a)
        rowCount += 1
    }

    /// Writes everything to `path` (atomically), or to standard output when `path` is "-".
    public func write(to path: String) throws {
        if path == "-" { return try Self.writeStandardOutput(bytes[...]) }
        try AtomicFile.write(bytes, to: path)
    }

    static func writeStandardOutput(_ bytes: ArraySlice<UInt8>) throws {
        try bytes.withUnsafeBytes { raw in
            var offset = 0
            while offset < raw.count {
                let written = Glibc.write(1, raw.baseAddress! + offset, raw.count - offset)
                if written < 0 {
                    if errno == EINTR { continue }
                    throw DataError.unwritable(path: "<stdout>", reason: String(cString: strerror(errno)))
                }
                offset += written
            }
        }
    }

    /// Shortest text that reads back as the same `Float`.
    public static func format(_ value: Float) -> String {
        if value.isNaN { return "" }
        return "\(value)"
    }

    public static func format(_ value: Double) -> String {
        if value.isNaN { return "" }
        return "\(value)"
    }
}
