import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Whole-file writes that are complete or absent: the bytes go to a temporary file in
/// the target's folder, are flushed to disk, and the file is renamed over the target.
/// On any failure the temporary file is removed and the target is untouched.
public enum AtomicFile {
    public static func write(_ bytes: [UInt8], to path: String) throws {
        let temporary = try temporaryPath(for: path)
        let descriptor = open(temporary, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        guard descriptor >= 0 else { throw DataError.unwritable(path: path, reason: String(cString: strerror(errno))) }
        var written = 0
        let failure: String? = bytes.withUnsafeBytes { raw -> String? in
            while written < raw.count {
                let count = Glibc.write(descriptor, raw.baseAddress! + written, raw.count - written)
                if count < 0 {
                    if errno == EINTR { continue }
                    return String(cString: strerror(errno))
                }
                written += count
            }
            return fsync(descriptor) == 0 ? nil : String(cString: strerror(errno))
        }
        close(descriptor)
        if let failure {
            unlink(temporary)
            throw DataError.unwritable(path: path, reason: failure)
        }
        guard rename(temporary, path) == 0 else {
            let reason = String(cString: strerror(errno))
            unlink(temporary)
            throw DataError.unwritable(path: path, reason: reason)
        }
    }

    /// Where a write of `path` goes before it is renamed over it: a hidden file in the
    /// same folder (a rename within one file system is atomic). Refuses a directory.
    static func temporaryPath(for path: String) throws -> String {
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue {
            throw DataError.unwritable(path: path, reason: "it is a directory")
        }
        let folder = (path as NSString).deletingLastPathComponent
        return (folder.isEmpty ? "." : folder) + "/.\((path as NSString).lastPathComponent).partial-\(getpid())"
    }
}
