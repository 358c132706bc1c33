#if canImport(Glibc)
import Glibc
#endif

/// A file being written: a temporary file beside the target, renamed over it by
/// `commit`, removed if it is never committed — so the target is complete or absent.
/// Written at offsets (`write(_:at:)`, the cache's columns) or in order (`append`, a
/// streamed CSV).
public final class TemporaryOutput {
    public let path: String
    let temporary: String
    private var descriptor: Int32
    private let size: Int
    private var committed = false
    /// Where `append` writes next.
    private var end = 0

    /// Creates the temporary file with `size` bytes (a sparse file: regions are filled by
    /// `write` in any order); 0 for a file written by `append`.
    public init(path: String, size: Int = 0) throws {
        self.path = path
        self.size = size
        temporary = try AtomicFile.temporaryPath(for: path)
        descriptor = open(temporary, O_RDWR | O_CREAT | O_TRUNC, 0o644)
        guard descriptor >= 0 else { throw DataError.unwritable(path: path, reason: String(cString: strerror(errno))) }
        guard ftruncate(descriptor, off_t(size)) == 0 else {
            let reason = String(cString: strerror(errno))
            close(descriptor)
            unlink(temporary)
            throw DataError.unwritable(path: path, reason: reason)
        }
    }

    deinit {
        if descriptor >= 0 { close(descriptor) }
        if !committed { unlink(temporary) }
    }

    /// Writes `bytes` after everything appended so far.
    public func append(_ bytes: ArraySlice<UInt8>) throws {
        try write(Array(bytes), at: end)
        end += bytes.count
    }

    func write<Value: BitwiseCopyable>(_ values: [Value], at offset: Int) throws {
        try values.withUnsafeBytes { raw in
            var done = 0
            while done < raw.count {
                let count = pwrite(descriptor, raw.baseAddress! + done, raw.count - done, off_t(offset + done))
                if count < 0 {
                    if errno == EINTR { continue }
                    throw DataError.unwritable(path: path, reason: String(cString: strerror(errno)))
                }
                done += count
            }
        }
    }

    /// Mixes `count` bytes of the file from `offset` into `hash`, read back in blocks (a
    /// mapping would count the whole file as resident memory).
    func hash(into hash: inout ContentHash, offset: Int, count: Int) throws {
        var position = offset
        try hash.combine(count: count) { buffer in
            while true {
                let got = pread(descriptor, buffer.baseAddress!, buffer.count, off_t(position))
                if got < 0 && errno == EINTR { continue }
                guard got > 0 else {
                    throw DataError.unwritable(path: path, reason: got < 0 ? String(cString: strerror(errno)) : "the file being written is shorter than expected")
                }
                position += got
                return got
            }
        }
    }

    /// Flushes and renames the file over the target.
    public func commit() throws {
        guard fsync(descriptor) == 0 else { throw DataError.unwritable(path: path, reason: String(cString: strerror(errno))) }
        close(descriptor)
        descriptor = -1
        guard rename(temporary, path) == 0 else { throw DataError.unwritable(path: path, reason: String(cString: strerror(errno))) }
        committed = true
    }
}
