import Foundation
import XCTest

/// Executes every walkthrough in `notebooks-md/`: each ```sh block runs in order (bash,
/// `set -euo pipefail`) in one temporary folder per walkthrough, with `datasets/` linked
/// in and the built `pretext` on the PATH; a failing command fails the test. A ```text
/// block right after a command, marked by a preceding `<!-- check tolerance=X -->` line,
/// is compared with the command's real output (stdout and stderr): its lines must appear
/// in the real output in order, with text equal (spaces normalised) and numbers within X;
/// a line `…` skips any number of real lines. Unmarked output blocks are not checked.
///
/// Fast settings: the walkthroughs read `SEEDS`, `PRETRAIN_EPOCHS` and `EPOCHS` from the
/// environment (defaults suit a reader); this test sets them small.
final class WalkthroughTests: XCTestCase {
    struct Block {
        var command: String
        var expected: String?
        var tolerance: Double
        var line: Int
    }

    static func blocks(in text: String) -> [Block] {
        let lines = text.components(separatedBy: "\n")
        var blocks: [Block] = []
        var index = 0
        var pendingTolerance: Double? = nil
        while index < lines.count {
            let line = lines[index]
            if line.hasPrefix("<!-- check tolerance=") {
                pendingTolerance = Double(line.dropFirst("<!-- check tolerance=".count).prefix { $0 != " " && $0 != "-" })
            } else if line == "```sh" || line == "```text" {
                let start = index
                var body: [String] = []
                index += 1
                while index < lines.count && lines[index] != "```" { body.append(lines[index]); index += 1 }
                if line == "```sh" {
                    blocks.append(Block(command: body.joined(separator: "\n"), expected: nil, tolerance: 0, line: start + 1))
                } else if let tolerance = pendingTolerance, !blocks.isEmpty {
                    blocks[blocks.count - 1].expected = body.joined(separator: "\n")
                    blocks[blocks.count - 1].tolerance = tolerance
                }
                pendingTolerance = nil
            }
            index += 1
        }
        return blocks
    }

    /// Whether `expected`'s lines appear in `actual` in order (see the type's comment).
    static func matches(expected: String, actual: String, tolerance: Double) -> String? {
        func tokens(_ line: String) -> [String] { line.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init) }
        func same(_ a: String, _ b: String) -> Bool {
            let x = tokens(a), y = tokens(b)
            guard x.count == y.count else { return false }
            for (p, q) in zip(x, y) where p != q {
                let trim: (String) -> String = { $0.trimmingCharacters(in: CharacterSet(charactersIn: ",;()[]%")) }
                guard let u = Double(trim(p)), let v = Double(trim(q)), abs(u - v) <= tolerance else { return false }
            }
            return true
        }
        let real = actual.components(separatedBy: "\n")
        var position = 0
        var skipping = false
        for wanted in expected.components(separatedBy: "\n") where !wanted.trimmingCharacters(in: .whitespaces).isEmpty {
            if wanted.trimmingCharacters(in: .whitespaces) == "…" { skipping = true; continue }
            if skipping {
                guard let found = real[position...].firstIndex(where: { same(wanted, $0) }) else { return "not found: \(wanted)" }
                position = found + 1
            } else {
                while position < real.count && real[position].trimmingCharacters(in: .whitespaces).isEmpty { position += 1 }
                guard position < real.count, same(wanted, real[position]) else {
                    return "expected \"\(wanted)\", got \"\(position < real.count ? real[position] : "<end>")\""
                }
                position += 1
            }
            skipping = false
        }
        return nil
    }

    func testEveryWalkthroughRuns() throws {
        let folder = repositoryRoot.appendingPathComponent("notebooks-md")
        let names = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".md") && $0 != "README.md" }.sorted()
        XCTAssertGreaterThanOrEqual(names.count, 4)
        let binaries = Bundle.main.bundleURL.path
        for name in names {
            let text = try String(contentsOf: folder.appendingPathComponent(name), encoding: .utf8)
            let work = FileManager.default.temporaryDirectory.appendingPathComponent("walkthrough-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: work, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(at: work) }
            try FileManager.default.createSymbolicLink(at: work.appendingPathComponent("datasets"),
                                                       withDestinationURL: repositoryRoot.appendingPathComponent("datasets"))
            try FileManager.default.createSymbolicLink(at: work.appendingPathComponent("notebooks-md"), withDestinationURL: folder)
            let blocks = Self.blocks(in: text)
            XCTAssertFalse(blocks.isEmpty, "\(name) has no commands")
            for block in blocks {
                let process = Process()
                process.executableURL = URL(fileURLWithPath: "/bin/bash")
                process.arguments = ["-c", "set -euo pipefail\n" + block.command]
                process.currentDirectoryURL = work
                var environment = ProcessInfo.processInfo.environment
                environment["PATH"] = binaries + ":" + (environment["PATH"] ?? "/usr/bin:/bin")
                environment["SEEDS"] = "1"
                environment["PRETRAIN_EPOCHS"] = "3"
                environment["EPOCHS"] = "5"
                environment["PRETEXT_REPOSITORY"] = repositoryRoot.path
                process.environment = environment
                let pipe = Pipe()
                process.standardOutput = pipe
                process.standardError = pipe
                try process.run()
                let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
                process.waitUntilExit()
                XCTAssertEqual(process.terminationStatus, 0, "\(name):\(block.line): command failed:\n\(block.command)\n\(output)")
                if let expected = block.expected, let problem = Self.matches(expected: expected, actual: output, tolerance: block.tolerance) {
                    XCTFail("\(name):\(block.line): shown output differs (\(problem)):\n\(output)")
                }
            }
        }
    }

    func testTheComparisonRule() {
        let actual = "a 1.00 b\nnoise\nx 2.5\ny z"
        XCTAssertNil(Self.matches(expected: "a 1.01 b\n…\nx 2.5", actual: actual, tolerance: 0.05))
        XCTAssertNotNil(Self.matches(expected: "a 1.2 b", actual: actual, tolerance: 0.05))
        XCTAssertNotNil(Self.matches(expected: "a 1.00 c", actual: actual, tolerance: 0.05))
        XCTAssertNotNil(Self.matches(expected: "x 2.5\na 1.00 b", actual: actual, tolerance: 0.05))
    }
}
