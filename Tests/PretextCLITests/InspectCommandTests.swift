import Foundation
import XCTest

final class InspectCommandTests: XCTestCase {
    func testInspectBundledDataset() throws {
        let result = try runPretext(["inspect", "datasets/credit_data.csv", "--target", "target"])
        XCTAssertEqual(result.status, 0, result.standardError)
        let output = result.standardOutput
        XCTAssertTrue(output.contains("4454 rows × 14 columns, comma-delimited"), output)
        XCTAssertTrue(output.contains("binary classification, 2 classes: good 3200 (71.8%), bad 1254 (28.2%)"), output)
        XCTAssertTrue(output.contains("Records    boolean"), output)
        XCTAssertTrue(output.contains("MB/s"), output)
    }

    func testErrorsExitNonZeroAndNameFileLineAndColumn() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("pretext-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let ragged = folder.appendingPathComponent("ragged.csv")
        try "a,b\n1,2\n3\n".write(to: ragged, atomically: true, encoding: .utf8)
        let result = try runPretext(["inspect", ragged.path])
        XCTAssertEqual(result.status, 1)
        XCTAssertTrue(result.standardError.hasPrefix("error: \(ragged.path):3: expected 2 fields"), result.standardError)
        XCTAssertEqual(result.standardOutput, "")

        let skipped = try runPretext(["inspect", ragged.path, "--skip-bad-rows"])
        XCTAssertEqual(skipped.status, 0, skipped.standardError)
        XCTAssertTrue(skipped.standardOutput.contains("skipped 1 row(s)"), skipped.standardOutput)

        let unknown = try runPretext(["inspect", "datasets/credit_data.csv", "--target", "Status"])
        XCTAssertEqual(unknown.status, 1)
        XCTAssertTrue(unknown.standardError.contains("there is no column \"Status\""), unknown.standardError)

        let missing = try runPretext(["inspect", "no-such-file.csv"])
        XCTAssertEqual(missing.status, 1)
        XCTAssertTrue(missing.standardError.contains("no-such-file.csv: no such file"), missing.standardError)
    }

    /// `cat FILE | pretext inspect /dev/stdin` and `pretext inspect - < FILE` describe the
    /// same table as `pretext inspect FILE` (the first line names the input).
    func testPipesAndStandardInputReadTheWholeFile() throws {
        let binary = Bundle.main.bundleURL.appendingPathComponent("pretext").path
        func shell(_ command: String) throws -> String {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/bin/bash")
            process.arguments = ["-c", command]
            process.currentDirectoryURL = repositoryRoot
            process.environment = ["COLUMNS": "100", "PATH": "/usr/bin:/bin"]
            let output = Pipe()
            process.standardOutput = output
            try process.run()
            let data = output.fileHandleForReading.readDataToEndOfFile()
            process.waitUntilExit()
            XCTAssertEqual(process.terminationStatus, 0, command)
            return String(decoding: data, as: UTF8.self)
        }
        /// The column table: every line after the size and timing lines.
        func columns(_ text: String) -> [Substring] { Array(text.split(separator: "\n").dropFirst(2)) }
        for file in ["datasets/airline.csv", "datasets/penguins.csv"] {
            let direct = try shell("'\(binary)' inspect \(file)")
            XCTAssertTrue(direct.contains("rows ×"), direct)
            XCTAssertEqual(columns(try shell("cat \(file) | '\(binary)' inspect /dev/stdin")), columns(direct), file)
            XCTAssertEqual(columns(try shell("cat \(file) | '\(binary)' inspect -")), columns(direct), file)
            XCTAssertEqual(columns(try shell("gzip -c \(file) | '\(binary)' inspect -")), columns(direct), file)
        }
        XCTAssertTrue(try shell("cat datasets/airline.csv | '\(binary)' inspect -").hasPrefix("<stdin>: 144 rows × 2 columns"))
    }

    /// `--categorical` takes one value (repeatable or comma-separated) and never swallows
    /// the file argument after it.
    func testCategoricalTakesOneValueAndLeavesTheFile() throws {
        for arguments in [["inspect", "--categorical", "Seniority", "datasets/credit_data.csv", "--categorical", "Time"],
                          ["inspect", "--categorical", "Seniority,Time", "datasets/credit_data.csv"]] {
            let result = try runPretext(arguments)
            XCTAssertEqual(result.status, 0, result.standardError)
            let lines = result.standardOutput.split(separator: "\n")
            for column in ["Seniority", "Time"] {
                let line = try XCTUnwrap(lines.first { $0.split(separator: " ", omittingEmptySubsequences: true).dropFirst().first == Substring(column) })
                XCTAssertTrue(line.contains("categorical"), String(line))
            }
            XCTAssertFalse(lines.contains { $0.contains(" Age ") && $0.contains("categorical") })
        }
    }

    func testBadOptionIsAUsageError() throws {
        let result = try runPretext(["inspect", "datasets/wine.csv", "--delimiter", "ab"])
        XCTAssertEqual(result.status, 64)
        XCTAssertTrue(result.standardError.contains("--delimiter must be one character"), result.standardError)
    }

    func testHelpTeachesWithExamples() throws {
        let result = try runPretext(["inspect", "--help"])
        XCTAssertEqual(result.status, 0)
        try assertGolden(result.standardOutput, named: "inspect-help.txt")
        let top = try runPretext(["--help"])
        XCTAssertTrue(top.standardOutput.contains("Examples:"))
        let bench = try runPretext(["bench", "ingest", "--help"])
        XCTAssertTrue(bench.standardOutput.contains("Examples:"))
    }

    func testBenchIngestRunsOnSmallFiles() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("pretext-bench-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let result = try runPretext(["bench", "ingest", "--rows", "3000", "--columns", "4", "--mixed-rows", "2000",
                                     "--repeats", "2", "--directory", folder.path])
        XCTAssertEqual(result.status, 0, result.standardError)
        XCTAssertTrue(result.standardOutput.contains("| numeric-3000x4-s42.csv |"), result.standardOutput)
        XCTAssertTrue(result.standardOutput.contains("3000 × 4"), result.standardOutput)
        XCTAssertTrue(result.standardOutput.contains("2000 × 7"), result.standardOutput)
    }

    /// `bench train` runs the chosen workloads only — the library's own fits — and rejects
    /// a batch InfoNCE cannot use.
    func testBenchTrainRunsChosenWorkloads() throws {
        let result = try runPretext(["bench", "train", "--rows", "300", "--timed-epochs", "1", "--batch", "16", "--features", "8",
                                     "--no-supervised", "--threads", "2"])
        XCTAssertEqual(result.status, 0, result.standardError)
        XCTAssertTrue(result.standardOutput.contains("| Pretrainer.fit (SCARF) d=8 B=16 |"), result.standardOutput)
        XCTAssertTrue(result.standardOutput.contains("| 270 × 1 |"), "300 rows less the 10% validation part, one epoch: \(result.standardOutput)")
        XCTAssertFalse(result.standardOutput.contains("d=20"), result.standardOutput)
        XCTAssertFalse(result.standardOutput.contains("MLPClassifier"), result.standardOutput)
        XCTAssertTrue(result.standardOutput.contains("2 thread(s)"), result.standardOutput)
        let bad = try runPretext(["bench", "train", "--batch", "1"])
        XCTAssertNotEqual(bad.status, 0)
        XCTAssertTrue(bad.standardError.contains("--batch must be at least 2"), bad.standardError)
    }
}
