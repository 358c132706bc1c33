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

    public init(header: [String]) {
        self.header = header
        appendRow(header)
        rowCount = 0
    }

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
        if path == "-" {
            var offset = 0
            while offset < bytes.count {
                let written = bytes.withUnsafeBytes { Glibc.write(1, $0.baseAddress! + offset, bytes.count - offset) }
                if written < 0 {
                    if errno == EINTR { continue }
                    throw DataError.unwritable(path: "<stdout>", reason: String(cString: strerror(errno)))
                }
                offset += written
            }
            return
        }
        try AtomicFile.write(bytes, to: path)
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
