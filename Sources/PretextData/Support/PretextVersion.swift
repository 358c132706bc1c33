import Foundation

/// Which Pretext is running: the release it calls itself, and a fingerprint of the code.
public enum PretextVersion {
    /// The release, as `pretext --version` prints it and model files record it.
    public static let release = "0.10.0"

    /// A fingerprint of the running program's code, for caches of results (`CellCache`)
    /// that must never be reused by different code.
    ///
    /// It is the fingerprint of the sources the executable was built from when a source
    /// stamp beside it vouches for this very executable (`SourceStamp`, written by
    /// `scripts/fresh-build.sh` after building those sources from scratch): then any build
    /// of the same sources — another session, another machine, whose bytes differ because
    /// builds are not reproducible — reuses the same cells, and a long benchmark resumes.
    /// Otherwise it is `binaryFingerprint`: any rebuild that changes a byte changes it.
    public static let codeFingerprint: String = {
        let stamp = FileManager.default.contents(atPath: executablePath + SourceStamp.suffix)
        return fingerprint(binary: binaryFingerprint, stamp: stamp)
    }()

    /// A `ContentHash` of the release and the executable file (`/proc/self/exe`),
    /// computed once; the release alone where the executable cannot be read.
    public static let binaryFingerprint: String = fileFingerprint(executablePath) ?? {
        var hash = ContentHash()
        hash.combine(release)
        return hash.hex
    }()

    /// The path of the running executable.
    public static var executablePath: String {
        (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
    }

    /// The release and the bytes of the file at `path`, hashed; nil if it cannot be read.
    public static func fileFingerprint(_ path: String) -> String? {
        guard let code = FileManager.default.contents(atPath: path) else { return nil }
        var hash = ContentHash()
        hash.combine(release)
        code.withUnsafeBytes { hash.combine(bytes: $0) }
        return hash.hex
    }

    /// The code fingerprint for an executable whose `binaryFingerprint` is `binary`, given
    /// the contents of its source stamp (if any): the sources' fingerprint when the stamp
    /// names this binary, else the binary's own.
    public static func fingerprint(binary: String, stamp: Data?) -> String {
        guard let stamp, let decoded = try? JSONDecoder().decode(SourceStamp.self, from: stamp),
              decoded.binary == binary, !decoded.sources.isEmpty else { return binary }
        var hash = ContentHash()
        hash.combine(release)
        hash.combine("sources")
        hash.combine(decoded.sources)
        return hash.hex
    }

    /// What `pretext stamp-sources` writes beside an executable (`<executable>.source-fingerprint`):
    /// the fingerprint of the sources it was built from, and the `binaryFingerprint` of the
    /// executable it vouches for — a later build in the same place, from other sources,
    /// does not match and is not vouched for.
    public struct SourceStamp: Codable, Equatable, Sendable {
        public static let suffix = ".source-fingerprint"
        public var sources: String
        public var binary: String

        public init(sources: String, binary: String) {
            self.sources = sources
            self.binary = binary
        }
    }
}
