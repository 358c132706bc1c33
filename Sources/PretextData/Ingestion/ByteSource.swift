import CZlib
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Reads a file's bytes in blocks from its start, transparently decompressing gzip.
///
/// Gzip is recognised by its magic bytes (1f 8b), whatever the name; a file named
/// `.gz` without them is an error rather than being read as text. This is the only
/// file that touches zlib's handles.
final class ByteSource {
    /// The input's name in messages (the path as the user gave it).
    let path: String
    let isCompressed: Bool
    /// Size of the file on disk, in bytes.
    let fileSize: Int
    private var descriptor: Int32 = -1
    private var gzipHandle: gzFile? = nil

    /// Opens `input`'s readable file (a regular file: streams were spooled by
    /// `SpooledInput`, so the signature can be read in place without moving the offset).
    init(_ input: SpooledInput) throws {
        path = input.name
        let fd = open(input.readablePath, O_RDONLY)
        guard fd >= 0 else { throw DataError.unreadable(path: path, reason: String(cString: strerror(errno))) }
        var info = stat()
        guard fstat(fd, &info) == 0 else {
            let reason = String(cString: strerror(errno))
            close(fd)
            throw DataError.unreadable(path: path, reason: reason)
        }
        fileSize = Int(info.st_size)
        var magic: [UInt8] = [0, 0]
        let magicCount = pread(fd, &magic, 2, 0)
        guard magicCount >= 0 else {
            let reason = String(cString: strerror(errno))
            close(fd)
            throw DataError.unreadable(path: path, reason: reason)
        }
        let gzipMagic = magicCount == 2 && magic[0] == 0x1f && magic[1] == 0x8b
        if path.hasSuffix(".gz") && !gzipMagic {
            close(fd)
            throw DataError.corruptCompressedFile(path: path, reason: "the name ends in .gz but the file does not start with the gzip signature (1f 8b)")
        }
        isCompressed = gzipMagic
        if gzipMagic {
            guard let handle = gzdopen(fd, "rb") else {
                close(fd)
                throw DataError.unreadable(path: path, reason: "zlib could not open it")
            }
            gzbuffer(handle, 1 << 18)
            gzipHandle = handle
        } else {
            descriptor = fd
        }
    }

    deinit {
        if let gzipHandle { gzclose_r(gzipHandle) }
        if descriptor >= 0 { close(descriptor) }
    }

    /// Reads up to `count` bytes into `buffer` starting at `offset`; returns how many
    /// were read, 0 at the end of the data.
    func read(into buffer: UnsafeMutableRawPointer, count: Int) throws -> Int {
        var total = 0
        while total < count {
            let got: Int
            if let gzipHandle {
                let request = UInt32(min(count - total, 1 << 30))
                got = Int(gzread(gzipHandle, buffer + total, request))
                if got < 0 || (got == 0 && !isCleanEnd(gzipHandle)) {
                    var code: Int32 = 0
                    let message = gzerror(gzipHandle, &code).map { String(cString: $0) } ?? "unknown zlib error"
                    throw DataError.corruptCompressedFile(path: path, reason: message)
                }
            } else {
                got = Glibc.read(descriptor, buffer + total, count - total)
                if got < 0 {
                    if errno == EINTR { continue }
                    throw DataError.unreadable(path: path, reason: String(cString: strerror(errno)))
                }
            }
            if got == 0 { break }
            total += got
        }
        return total
    }

    /// True when zlib reached the end of a complete stream (not a truncated one).
    private func isCleanEnd(_ handle: gzFile) -> Bool {
        var code: Int32 = 0
        _ = gzerror(handle, &code)
        return code == Z_OK
    }
}
