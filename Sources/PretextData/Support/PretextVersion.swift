import Foundation

/// Which Pretext is running: the release it calls itself, and a fingerprint of the code.
public enum PretextVersion {
    /// The release, as `pretext --version` prints it and model files record it.
    public static let release = "0.10.0"

    /// A fingerprint of the running program's code: a `ContentHash` of the executable
    /// file (`/proc/self/exe`), computed once. Any rebuild that changes the code changes
    /// it, so caches keyed on it are never reused by different code, even between
    /// releases. Where the executable cannot be read it is the release alone.
    public static let codeFingerprint: String = {
        var hash = ContentHash()
        hash.combine(release)
        if let code = FileManager.default.contents(atPath: "/proc/self/exe") {
            code.withUnsafeBytes { hash.combine(bytes: $0) }
        }
        return hash.hex
    }()
}
