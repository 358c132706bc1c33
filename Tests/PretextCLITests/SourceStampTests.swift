import Foundation
import XCTest
import PretextData

/// A source stamp (`pretext stamp-sources`, written by `scripts/fresh-build.sh`) makes the
/// code fingerprint of cached results the sources', for the one executable it vouches for:
/// two builds of the same sources share cells, a changed executable does not.
final class SourceStampTests: XCTestCase {
    func testAStampVouchesForItsExecutableOnly() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("pretext-stamp-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        func build(_ name: String, bytes: String) throws -> String {
            let path = folder.appendingPathComponent(name).path
            try bytes.write(toFile: path, atomically: false, encoding: .utf8)
            return path
        }
        // Two "builds" of the same sources (different bytes), and one of other sources.
        let first = try build("first", bytes: "one build"), second = try build("second", bytes: "another build")
        let other = try build("other", bytes: "a build of other sources")
        for (path, sources) in [(first, "sources-abc"), (second, "sources-abc"), (other, "sources-def")] {
            let result = try runPretext(["stamp-sources", sources, "--executable", path])
            XCTAssertEqual(result.status, 0, result.standardError)
        }
        func fingerprint(_ path: String) -> String {
            PretextVersion.fingerprint(binary: PretextVersion.fileFingerprint(path)!,
                                       stamp: FileManager.default.contents(atPath: path + PretextVersion.SourceStamp.suffix))
        }
        XCTAssertEqual(fingerprint(first), fingerprint(second), "the same sources: the same cells")
        XCTAssertNotEqual(fingerprint(first), fingerprint(other))
        XCTAssertNotEqual(fingerprint(first), PretextVersion.fileFingerprint(first))
        // The executable changes after stamping (a plain `swift build` over it): not vouched for.
        try "rebuilt from edited sources".write(toFile: first, atomically: false, encoding: .utf8)
        XCTAssertEqual(fingerprint(first), PretextVersion.fileFingerprint(first))
        // No stamp, or an unreadable one: the binary's own fingerprint.
        XCTAssertEqual(PretextVersion.fingerprint(binary: "b", stamp: nil), "b")
        XCTAssertEqual(PretextVersion.fingerprint(binary: "b", stamp: Data("not json".utf8)), "b")
        let refused = try runPretext(["stamp-sources", "two words"])
        XCTAssertNotEqual(refused.status, 0)
        XCTAssertTrue(refused.standardError.contains("SOURCES"), refused.standardError)
    }
}
