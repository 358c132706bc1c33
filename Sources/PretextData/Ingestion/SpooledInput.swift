#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// An input that can be read from its start as often as a reader needs.
///
/// A regular file is read where it is. Anything that streams — `-` (standard input), a
/// pipe or FIFO, `/dev/stdin` fed by a pipe, a process substitution, a terminal — can be
/// read only once and cannot seek, so it is copied once, as it arrives, into a temporary
/// file (in `$TMPDIR`, else `/tmp`) that lives as long as this value; every pass reads
/// that copy, byte for byte what came through the stream. The copy is removed on
/// `deinit`, also after an error.
///
/// `-` can be given once per process: standard input is consumed by the first read, and
/// a second `-` is an error rather than an empty table.
final class SpooledInput {
    /// What to open: the file itself, or the temporary copy.
    let readablePath: String
    /// What messages call the input: the path as given, or `<stdin>` for `-`.
    let name: String
    private let temporaryPath: String?

    /// The name `-` is shown as in messages and `Table.source`.
    static let standardInputName = "<stdin>"

    init(path: String) throws {
        let isStandardInput = path == "-"
        name = isStandardInput ? Self.standardInputName : path
        if !isStandardInput {
            var info = stat()
            guard stat(path, &info) == 0 else {
                if errno == ENOENT { throw DataError.fileNotFound(path: path) }
                throw DataError.unreadable(path: path, reason: String(cString: strerror(errno)))
            }
            let kind = info.st_mode & S_IFMT
            if kind == S_IFDIR { throw DataError.unreadable(path: path, reason: "it is a directory") }
            if kind == S_IFREG {
                readablePath = path
                temporaryPath = nil
                return
            }
        }
        if isStandardInput {
            guard Self.claimStandardInput() else {
                throw DataError.unreadable(path: name, reason: "standard input (-) was already read for another input; give the others as files")
            }
        }
        let source = isStandardInput ? STDIN_FILENO : open(path, O_RDONLY)
        guard source >= 0 else { throw DataError.unreadable(path: path, reason: String(cString: strerror(errno))) }
        defer { if !isStandardInput { close(source) } }
        let copy = try Self.copy(from: source, name: name)
        readablePath = copy
        temporaryPath = copy
    }

    deinit {
        if let temporaryPath { unlink(temporaryPath) }
    }

    // MARK: - Copying a stream

    /// Copies everything `source` yields until its end into a new temporary file and
    /// returns that file's path; on failure the partial copy is removed.
    private static func copy(from source: Int32, name: String) throws -> String {
        let folder = getenv("TMPDIR").map { String(cString: $0) }.flatMap { $0.isEmpty ? nil : $0 } ?? "/tmp"
        var template = Array("\(folder)/pretext-input-XXXXXX".utf8CString)
        let target = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
        guard target >= 0 else {
            throw DataError.unreadable(path: name, reason: "it is a stream and could not be copied to a temporary file in \(folder): \(String(cString: strerror(errno)))")
        }
        let path = template.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
        defer { close(target) }
        let blockSize = 1 << 20
        let block = UnsafeMutableRawPointer.allocate(byteCount: blockSize, alignment: 64)
        defer { block.deallocate() }
        do {
            while true {
                let got = read(source, block, blockSize)
                if got < 0 {
                    if errno == EINTR { continue }
                    throw DataError.unreadable(path: name, reason: String(cString: strerror(errno)))
                }
                if got == 0 { break }
                var written = 0
                while written < got {
                    let count = write(target, block + written, got - written)
                    if count < 0 {
                        if errno == EINTR { continue }
                        throw DataError.unreadable(path: name, reason: "copying the stream to \(folder) failed: \(String(cString: strerror(errno)))")
                    }
                    written += count
                }
            }
        } catch {
            unlink(path)
            throw error
        }
        return path
    }

    // MARK: - Standard input, once

    private static let standardInputLock = PThreadMutex()
    nonisolated(unsafe) private static var standardInputClaimed = false

    /// True the first time it is called in a process, false after.
    private static func claimStandardInput() -> Bool {
        standardInputLock.locked {
            defer { standardInputClaimed = true }
            return !standardInputClaimed
        }
    }
}
