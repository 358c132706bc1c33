import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A columnar cache file (`CacheFormat`), memory-mapped: the operating system pages
/// values in as they are read and may drop them again, so a table larger than memory
/// can be read a batch of rows at a time (`table(rows:)`).
///
/// ```swift
/// try ColumnarCache.build("big.csv", to: "big.pretext")
/// let cache = try CachedTable(path: "big.pretext")
/// let batch = cache.table(rows: Array(0..<256))   // a small `Table`, same columns
/// ```
public final class CachedTable: @unchecked Sendable {
    public let path: String
    public let schema: CacheSchema
    private let base: UnsafeRawPointer
    private let length: Int

    /// Maps `path` and checks its header, schema and that every column's region lies
    /// inside the file (values are checked by `verify`).
    public init(path: String) throws {
        self.path = path
        let descriptor = open(path, O_RDONLY)
        guard descriptor >= 0 else {
            if errno == ENOENT { throw DataError.fileNotFound(path: path) }
            throw DataError.unreadable(path: path, reason: String(cString: strerror(errno)))
        }
        defer { close(descriptor) }
        var info = stat()
        guard fstat(descriptor, &info) == 0, info.st_mode & S_IFMT == S_IFREG else {
            throw DataError.unreadable(path: path, reason: "not a regular file")
        }
        length = Int(info.st_size)
        guard length >= CacheFormat.headerSize else { throw DataError.corruptCache(path: path, reason: "\(length) bytes, shorter than the header") }
        guard let mapped = mmap(nil, length, PROT_READ, MAP_SHARED, descriptor, 0), mapped != MAP_FAILED else {
            throw DataError.unreadable(path: path, reason: "cannot map it: \(String(cString: strerror(errno)))")
        }
        base = UnsafeRawPointer(mapped)
        do {
            schema = try Self.readSchema(base: base, length: length, path: path)
        } catch {
            munmap(mapped, length)
            throw error
        }
    }

    deinit { munmap(UnsafeMutableRawPointer(mutating: base), length) }

    public var rowCount: Int { schema.rowCount }
    public var columnNames: [String] { schema.columns.map(\.name) }

    /// Whether `path` is a regular file that starts with the cache magic. Anything else —
    /// a pipe, a FIFO, `/dev/stdin` — is not looked into: reading its first bytes would
    /// consume them, and the CSV reader would then miss them.
    public static func isCache(_ path: String) -> Bool {
        var info = stat()
        guard stat(path, &info) == 0, info.st_mode & S_IFMT == S_IFREG else { return false }
        guard let handle = FileHandle(forReadingAtPath: path) else { return false }
        defer { try? handle.close() }
        return CacheFormat.isCache(Array((try? handle.read(upToCount: 8)) ?? Data()))
    }

    private static func readSchema(base: UnsafeRawPointer, length: Int, path: String) throws -> CacheSchema {
        guard CacheFormat.isCache(Array(UnsafeRawBufferPointer(start: base, count: 8))) else {
            throw DataError.corruptCache(path: path, reason: "it does not start with the cache magic \"PRTXCACH\"")
        }
        let offset = Int(UInt64(littleEndian: base.loadUnaligned(fromByteOffset: 8, as: UInt64.self)))
        let count = Int(UInt64(littleEndian: base.loadUnaligned(fromByteOffset: 16, as: UInt64.self)))
        guard offset >= CacheFormat.headerSize, count > 0, offset <= length, count <= length - offset else {
            throw DataError.corruptCache(path: path, reason: "its schema (\(count) bytes at \(offset)) lies outside the \(length)-byte file (truncated?)")
        }
        let schema: CacheSchema
        do {
            schema = try JSONDecoder().decode(CacheSchema.self, from: Data(bytes: base + offset, count: count))
        } catch {
            throw DataError.corruptCache(path: path, reason: "its schema does not parse: \(error)")
        }
        guard schema.formatVersion <= CacheFormat.version else {
            throw DataError.corruptCache(path: path, reason: "format \(schema.formatVersion) is newer than this Pretext reads (\(CacheFormat.version))")
        }
        guard schema.rowCount >= 0 else { throw DataError.corruptCache(path: path, reason: "\(schema.rowCount) rows") }
        for column in schema.columns {
            let (bytes, overflow) = schema.rowCount.multipliedReportingOverflow(by: column.storage.width)
            guard !overflow, column.offset >= CacheFormat.headerSize, column.offset % CacheFormat.alignment == 0, column.offset <= offset, bytes <= offset - column.offset else {
                throw DataError.corruptCache(path: path, reason: "column \"\(column.name)\"'s values lie outside the data section")
            }
            if column.storage == .int32, column.vocabulary == nil {
                throw DataError.corruptCache(path: path, reason: "categorical column \"\(column.name)\" has no vocabulary")
            }
        }
        return schema
    }

    /// The rows `rows` (default: all) as a `Table`, every column a feature — or only the
    /// columns named in `only` (e.g. a target read without the features). Categorical
    /// columns keep their whole vocabulary, so codes mean the same in every batch.
    /// A code outside the vocabulary (a damaged file) reads as missing.
    public func table(rows: [Int]? = nil, only: Set<String>? = nil) -> Table {
        let rows = rows ?? Array(0..<rowCount)
        precondition(rows.allSatisfy { $0 >= 0 && $0 < rowCount }, "CachedTable.table: a row outside 0..<\(rowCount)")
        let columns = schema.columns.filter { only?.contains($0.name) ?? true }.map { column -> Column in
            let region = base + column.offset
            switch column.storage {
            case .float32:
                let values = region.assumingMemoryBound(to: Float.self)
                return Column(name: column.name, type: column.type, storage: .numeric(rows.map { values[$0] }),
                              booleanSpellings: column.booleanSpellings)
            case .int32:
                let codes = region.assumingMemoryBound(to: Int32.self)
                let words = column.vocabulary ?? []
                return Column(name: column.name, type: column.type,
                              storage: .categorical(codes: rows.map { codes[$0] < Int32(words.count) ? codes[$0] : -1 }, vocabulary: words))
            case .float64:
                let values = region.assumingMemoryBound(to: Double.self)
                return Column(name: column.name, type: column.type, storage: .datetime(rows.map { values[$0] }))
            }
        }
        return Table(columns: columns, source: path)
    }

    /// The rows where column `name` has a value (e.g. the labeled rows of a target),
    /// read from that column alone.
    public func presentRows(of name: String) throws -> [Int] {
        let present = try presence(of: name)
        return (0..<rowCount).filter(present)
    }

    /// The same rows as a `RowSubset`: a bit per row of the cache instead of 8 bytes per
    /// present row, for a target labeled on millions of rows.
    public func presentRowSubset(of name: String) throws -> RowSubset {
        RowSubset(total: rowCount, keeps: try presence(of: name))
    }

    /// Whether a row has a value in column `name`, read from the mapped column.
    private func presence(of name: String) throws -> (Int) -> Bool {
        guard let column = schema.columns.first(where: { $0.name == name }) else {
            throw DataError.unknownColumn(path: path, name: name, role: "a column", closeMatches: ColumnNameMatcher.closeMatches(to: name, in: columnNames))
        }
        let region = base + column.offset
        switch column.storage {
        case .float32:
            let values = region.assumingMemoryBound(to: Float.self)
            return { !values[$0].isNaN }
        case .int32:
            let codes = region.assumingMemoryBound(to: Int32.self)
            let words = Int32(column.vocabulary?.count ?? 0)
            return { codes[$0] >= 0 && codes[$0] < words }
        case .float64:
            let values = region.assumingMemoryBound(to: Double.self)
            return { !values[$0].isNaN }
        }
    }

    /// Recomputes the content fingerprint from the mapped values (reading every page)
    /// and compares it with the one written at build time.
    public func verify() throws {
        let found = Self.fingerprint(schema, base: base)
        guard found == schema.contentFingerprint else {
            throw DataError.corruptCache(path: path, reason: "its values do not match the fingerprint written with them (\(found) ≠ \(schema.contentFingerprint))")
        }
    }

    /// `Table.contentFingerprint` of the cached table (every column a feature), computed
    /// from the stored bytes: the same bytes `Table` hashes for its arrays.
    static func fingerprint(_ schema: CacheSchema, base: UnsafeRawPointer) -> String {
        fingerprint(schema) { hash, offset, count in hash.combine(bytes: UnsafeRawBufferPointer(start: base + offset, count: count)) }
    }

    /// The fingerprint with each column's values hashed by `values(&hash, offset, count)`
    /// (from a mapping, or read in blocks).
    static func fingerprint(_ schema: CacheSchema, values: (inout ContentHash, _ offset: Int, _ count: Int) throws -> Void) rethrows -> String {
        var hash = ContentHash()
        hash.combine(schema.columns.count)
        for column in schema.columns {
            hash.combine(column.name)
            hash.combine(column.type.rawValue)
            hash.combine(ColumnRole.feature.rawValue)
            hash.combine(column.booleanSpellings?.joined(separator: "\u{1f}") ?? "")
            let count = schema.rowCount * column.storage.width
            switch column.storage {
            case .float32:
                hash.combine(0)
                try values(&hash, column.offset, count)
            case .int32:
                hash.combine(1)
                try values(&hash, column.offset, count)
                hash.combine(column.vocabulary?.count ?? 0)
                for word in column.vocabulary ?? [] { hash.combine(word) }
            case .float64:
                hash.combine(2)
                try values(&hash, column.offset, count)
            }
        }
        return hash.hex
    }
}
