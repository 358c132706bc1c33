import Foundation
import XCTest

/// Pretraining and fine-tuning from a cache larger than memory (issue 21): the memory a
/// `pretext pretrain` or `pretext finetune` process holds does not grow with the table's
/// rows. Each command is its own process, whose anonymous memory (RssAnon — what it
/// allocated, without the mapped cache pages the kernel may drop) is sampled every 5 ms.
/// From a table three times as long, the streamed commands' peaks grow by less than a
/// quarter of the table's own growth as float32, while `pretext inspect`, which holds the
/// table, grows by more than half of it (the control: the measurement sees growth). The
/// peaks are printed. Under a hard memory limit (a cgroup, which needs root) and on tables
/// several times larger than it, `scripts/out-of-core.sh` runs the same commands from a
/// release build (BENCHMARKS.md); a debug build is too slow on such tables for the suite.
final class OutOfCoreMemoryTests: XCTestCase {
    func testStreamingFromACacheHoldsMemoryThatDoesNotGrowWithTheRows() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("pretext-out-of-core-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let columns = 8
        // 200,000 rows: pretraining's 10% hold-out, and fine-tuning's 20%, are at their
        // cap of 20,000 rows.
        let (short, long) = (200_000, 600_000)
        func write(rows: Int, to name: String) throws -> String {
            var text = (0..<columns).map { "x\($0)" }.joined(separator: ",") + ",label\n"
            var state: UInt64 = 42
            for row in 0..<rows {
                var sum = 0
                for _ in 0..<columns {
                    state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
                    let value = Int(state >> 54) - 512   // −512…511
                    sum += value
                    text += "\(value),"
                }
                // Every fifth row unlabeled; three classes by the features' sum.
                text += row % 5 == 4 ? "\n" : (sum < -300 ? "low\n" : sum > 300 ? "high\n" : "mid\n")
            }
            let path = folder.appendingPathComponent(name).path
            try text.write(toFile: path, atomically: false, encoding: .utf8)
            return path
        }
        var peaks: [String: [Int]] = [:]   // command → peak kB at each size
        for rows in [short, long] {
            let csv = try write(rows: rows, to: "table-\(rows).csv")
            let cache = folder.appendingPathComponent("table-\(rows).pretext").path
            XCTAssertEqual(try runPretext(["cache", csv, "-o", cache, "--quiet"]).status, 0)
            let encoder = folder.appendingPathComponent("encoder-\(rows).safetensors").path
            let (pretrained, pretrainPeak) = try runPretextMeasuringMemory(
                ["pretrain", cache, "--target", "label", "--pretrain-epochs", "1", "--encoder-width", "16", "--encoder-depth", "2",
                 "--window-mb", "1", "--quiet", "-o", encoder])
            XCTAssertEqual(pretrained.status, 0, pretrained.standardError)
            peaks["pretrain", default: []].append(pretrainPeak)
            for strategy in ["full", "linear-probe"] {
                let (result, peak) = try runPretextMeasuringMemory(
                    ["finetune", cache, "--target", "label", "--encoder", encoder, "--strategy", strategy, "--fine-tune-epochs", "1",
                     "--window-mb", "1", "--quiet", "-o", folder.appendingPathComponent("model.safetensors").path])
                XCTAssertEqual(result.status, 0, result.standardError)
                peaks["finetune --strategy \(strategy)", default: []].append(peak)
            }
            let (inspected, peak) = try runPretextMeasuringMemory(["inspect", csv])
            XCTAssertEqual(inspected.status, 0, inspected.standardError)
            peaks["inspect (holds the table)", default: []].append(peak)
        }
        let tableGrowth = (long - short) * (columns + 1) * 4 / 1_000   // kB as float32
        for (command, sizes) in peaks.sorted(by: { $0.key < $1.key }) {
            print("peak anonymous memory of pretext \(command): \(sizes[0] / 1_000) MB at \(short) rows, \(sizes[1] / 1_000) MB at \(long) rows "
                  + "(the table grows by \(tableGrowth / 1_000) MB as float32)")
            if command.hasPrefix("inspect") {
                XCTAssertGreaterThan(sizes[1] - sizes[0], tableGrowth / 2, "the control holds the table: \(sizes) kB")
            } else {
                XCTAssertLessThan(sizes[1] - sizes[0], tableGrowth / 4, "\(command): \(sizes) kB")
            }
        }
    }
}

/// Runs `pretext` and samples its RssAnon (kB) from /proc every 5 ms; returns the peak.
func runPretextMeasuringMemory(_ arguments: [String]) throws -> (CLIResult, peakKilobytes: Int) {
    let process = Process()
    process.executableURL = pretextBinary
    process.arguments = arguments
    process.currentDirectoryURL = repositoryRoot
    let output = Pipe(), error = Pipe()
    process.standardOutput = output
    process.standardError = error
    try process.run()
    let peak = LockedPeak()
    let sampler = Thread {
        let status = "/proc/\(process.processIdentifier)/status"
        while process.isRunning {
            if let text = try? String(contentsOfFile: status, encoding: .utf8),
               let line = text.split(separator: "\n").first(where: { $0.hasPrefix("RssAnon:") }),
               let kilobytes = Int(line.split(separator: " ", omittingEmptySubsequences: true).dropFirst().first ?? "") {
                peak.raise(to: kilobytes)
            }
            usleep(5_000)
        }
    }
    sampler.start()
    let outData = output.fileHandleForReading.readDataToEndOfFile()
    let errData = error.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    while !sampler.isFinished { usleep(1_000) }
    return (CLIResult(status: process.terminationStatus, standardOutput: String(decoding: outData, as: UTF8.self),
                      standardError: String(decoding: errData, as: UTF8.self)), peak.value)
}

private final class LockedPeak: @unchecked Sendable {
    private let lock = NSLock()
    private var peak = 0
    var value: Int { lock.withLock { peak } }
    func raise(to value: Int) { lock.withLock { peak = max(peak, value) } }
}
