import Foundation
import XCTest
import PretextData

/// The malformed-input corpus (`Fixtures/bad/`, written by `make_bad_corpus.py`): each
/// input must give its typed error with a message naming what is wrong, a non-zero exit
/// code, no output file — and never a crash, a hang or unbounded memory (every run is
/// under `ulimit -v` 4 GiB and a 60 s timeout).
final class BadInputTests: XCTestCase {
    let corpus = repositoryRoot.appendingPathComponent("Tests/PretextCLITests/Fixtures/bad")

    struct Case { var file: String; var arguments: String; var exit: Int32; var kind: String; var message: String }

    func cases() throws -> [Case] {
        let manifest = try String(contentsOf: corpus.appendingPathComponent("manifest.tsv"), encoding: .utf8)
        return manifest.split(separator: "\n").dropFirst().map { line in
            let fields = line.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
            return Case(file: fields[0], arguments: fields[1], exit: Int32(fields[2])!, kind: fields[3], message: fields[4])
        }
    }

    /// Runs pretext through bash with limits; returns (status, stderr).
    func limitedRun(_ arguments: String) throws -> (Int32, String) {
        let binary = Bundle.main.bundleURL.appendingPathComponent("pretext").path
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/bash")
        process.arguments = ["-c", "ulimit -v 4194304; exec timeout 60 '\(binary)' \(arguments)"]
        process.currentDirectoryURL = repositoryRoot
        let error = Pipe()
        process.standardOutput = FileHandle.nullDevice
        process.standardError = error
        try process.run()
        let text = String(decoding: error.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        return (process.terminationStatus, text)
    }

    func testEveryMalformedInputGivesItsErrorThroughTheCLI() throws {
        let cases = try cases()
        XCTAssertGreaterThanOrEqual(cases.count, 60)
        for item in cases {
            let out = FileManager.default.temporaryDirectory.appendingPathComponent("bad-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: out, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(at: out) }
            let arguments = item.arguments.replacingOccurrences(of: "{file}", with: "'\(corpus.appendingPathComponent(item.file).path)'")
                .replacingOccurrences(of: "{out}", with: "'\(out.path)'")
            let (status, stderr) = try limitedRun(arguments)
            XCTAssertEqual(status, item.exit, "\(item.file): exit \(status) (124 = timeout, >128 = signal)\n\(stderr)")
            XCTAssertTrue(stderr.contains(item.message), "\(item.file): expected \"\(item.message)\" in:\n\(stderr)")
            XCTAssertFalse(stderr.contains("Fatal error") || stderr.contains("Stack dump"), "\(item.file) crashed:\n\(stderr)")
            let written = try FileManager.default.contentsOfDirectory(atPath: out.path).filter { !$0.hasPrefix(".") }
            XCTAssertEqual(written, [], "\(item.file): nothing may be written")
        }
    }

    /// The same files through the library: a typed `DataError` of the expected kind with
    /// the same message.
    func testPlainReadsThroughTheLibrary() throws {
        for item in try cases() where item.arguments == "inspect {file}" || item.arguments == "inspect {file} --target y" {
            do {
                var (table, _) = try CSVReader().read(corpus.appendingPathComponent(item.file).path)
                if item.arguments.hasSuffix("--target y") {
                    try table.setRole(.target, for: "y")
                    _ = try TaskType.infer(for: table.target!, path: table.source)
                }
                XCTFail("\(item.file): expected an error")
            } catch let error as DataError {
                XCTAssertTrue(error.description.contains(item.message), "\(item.file): \(error.description)")
                XCTAssertEqual(Mirror(reflecting: error).children.first?.label, item.kind, "\(item.file): \(error)")
            }
        }
    }

    /// Damaged model files and inputs that do not fit the model, through `predict`.
    func testDamagedModelFilesAndMismatchedInputs() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("models-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let model = folder.appendingPathComponent("model.safetensors").path
        XCTAssertEqual(try limitedRun("fit datasets/wine.csv --target target --method mlp --fine-tune-epochs 3 -o '\(model)'").0, 0)
        let encoder = folder.appendingPathComponent("encoder.safetensors").path
        XCTAssertEqual(try limitedRun("pretrain datasets/wine.csv --target target --pretrain-epochs 2 --encoder-width 8 --quiet -o '\(encoder)'").0, 0)
        let bytes = Array(FileManager.default.contents(atPath: model)!)
        var flipped = bytes
        flipped[bytes.count - 5] ^= 0x10
        // The header is JSON: change the version digit in place (same length, same offsets).
        var newer = bytes
        let key = Array("\"pretext.format_version\":\"2\"".utf8)
        let at = try XCTUnwrap((0...(bytes.count - key.count)).first { Array(bytes[$0..<($0 + key.count)]) == key })
        newer[at + key.count - 2] = UInt8(ascii: "9")
        let variants: [(String, [UInt8], String)] = [
            ("truncated-header", Array(bytes.prefix(6)), "truncated"),
            ("truncated-data", Array(bytes.prefix(bytes.count - 100)), "truncated"),
            ("bit-flipped", flipped, "do not match the file's checksum"),
            ("newer-format", newer, "written by a newer Pretext"),
            ("text", Array("hello".utf8), "truncated"),
        ]
        let output = folder.appendingPathComponent("p.csv").path
        for (name, content, message) in variants {
            let path = folder.appendingPathComponent("\(name).safetensors").path
            FileManager.default.createFile(atPath: path, contents: Data(content))
            let (status, stderr) = try limitedRun("predict '\(path)' datasets/wine.csv -o '\(output)'")
            XCTAssertEqual(status, 1, "\(name): \(stderr)")
            XCTAssertTrue(stderr.contains(message), "\(name): \(stderr)")
            XCTAssertFalse(FileManager.default.fileExists(atPath: output), name)
        }
        let (kindStatus, kindError) = try limitedRun("predict '\(encoder)' datasets/wine.csv -o '\(output)'")
        XCTAssertEqual(kindStatus, 1)
        XCTAssertTrue(kindError.contains("a model file of kind encoder, but this needs one of the kinds tabular-model,"), kindError)
        let (missingStatus, missingError) = try limitedRun("predict '\(model)' datasets/penguins.csv -o '\(output)'")
        XCTAssertEqual(missingStatus, 1)
        XCTAssertTrue(missingError.contains("lacks 13 needed column(s)"), missingError)
        XCTAssertFalse(FileManager.default.fileExists(atPath: output))
    }

    /// Very wide and very long inputs are read within the memory limit.
    func testHugeColumnCountsAndFieldsStayBounded() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("huge-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let wide = folder.appendingPathComponent("wide.csv")
        let header = (0..<100_000).map { "c\($0)" }.joined(separator: ",")
        let row = (0..<100_000).map { String($0 % 10) }.joined(separator: ",")
        try (header + "\n" + row + "\n" + row + "\n").write(to: wide, atomically: true, encoding: .utf8)
        let (wideStatus, wideError) = try limitedRun("inspect '\(wide.path)'")
        XCTAssertEqual(wideStatus, 0, wideError)
        let long = folder.appendingPathComponent("long.csv")
        var bytes = Array("id,text\n1,".utf8)
        bytes += [UInt8](repeating: 0x78, count: 64 << 20)
        bytes += Array("\n2,short\n".utf8)
        FileManager.default.createFile(atPath: long.path, contents: Data(bytes))
        let (longStatus, longError) = try limitedRun("inspect '\(long.path)'")
        XCTAssertEqual(longStatus, 0, longError)
    }
}
