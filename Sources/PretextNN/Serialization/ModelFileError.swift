import Foundation
/// Why a model file could not be read or written.
public enum ModelFileError: Error, Sendable, Equatable, CustomStringConvertible {
    case notFound(path: String)
    case truncated(path: String, reason: String)
    case corrupt(path: String, reason: String)
    case checksumMismatch(path: String)
    case newerFormat(path: String, found: Int, supported: Int)
    case wrongKind(path: String, found: String, expected: [String])
    case notPretext(path: String)
    case unwritable(path: String, reason: String)

    public var description: String {
        switch self {
        case .notFound(let path): return "\(path): no such model file."
        case .truncated(let path, let reason): return "\(path): the model file is truncated: \(reason).\n  hint: it was probably copied or downloaded incompletely; write it again."
        case .corrupt(let path, let reason): return "\(path): the model file is damaged: \(reason)."
        case .checksumMismatch(let path): return "\(path): the tensors do not match the file's checksum (the file was altered or damaged)."
        case .newerFormat(let path, let found, let supported):
            return "\(path): written by a newer Pretext (model format \(found); this version reads up to \(supported)).\n  hint: upgrade Pretext."
        case .wrongKind(let path, let found, let expected):
            return "\(path): a model file of kind \(found), but this needs " + (expected.count == 1 ? "kind \(expected[0])." : "one of the kinds \(expected.joined(separator: ", ")).")
        case .notPretext(let path): return "\(path): a safetensors file without Pretext metadata; Pretext can only load models it wrote."
        case .unwritable(let path, let reason): return "\(path): cannot write the file: \(reason)."
        }
    }
}

/// Library users get the CLI's message from `localizedDescription`.
extension ModelFileError: LocalizedError {
    public var errorDescription: String? { description }
}
