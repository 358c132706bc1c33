import ArgumentParser
import Foundation
import Pretext

/// Writes the source stamp `scripts/fresh-build.sh` leaves beside each build
/// (`PretextVersion.SourceStamp`): not for users, so not listed.
struct StampSourcesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "stamp-sources",
        abstract: "Record which sources an executable was built from (for scripts/fresh-build.sh).",
        discussion: """
        Writes EXECUTABLE.source-fingerprint: SOURCES (a fingerprint of the source tree \
        the executable was just built from, from scratch) and the executable's own \
        fingerprint. Caches of results (compare's cells) then key on the sources, so a \
        rebuild of the same sources — whose bytes differ, as builds are not reproducible \
        — resumes a long run; any other executable in that place is not vouched for.

        Example:
          pretext stamp-sources "$(sha256sum < sources.list | cut -d' ' -f1)"
        """,
        shouldDisplay: false
    )

    @Argument(help: "The fingerprint of the sources (e.g. a SHA-256 of every source file).") var sources: String
    @Option(help: "The executable to vouch for (default: this one).") var executable: String?

    func validate() throws {
        guard !sources.isEmpty, sources.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "-" || $0 == ":" }) else {
            throw ValidationError("SOURCES must be a non-empty fingerprint of letters and digits (got \"\(sources)\").")
        }
    }

    func run() throws {
        try reportingErrors {
            let path = executable ?? PretextVersion.executablePath
            guard let binary = PretextVersion.fileFingerprint(path) else { throw DataError.fileNotFound(path: path) }
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys]
            let stamp = try encoder.encode(PretextVersion.SourceStamp(sources: sources, binary: binary))
            try AtomicFile.write(Array(stamp), to: path + PretextVersion.SourceStamp.suffix)
        }
    }
}
