import Foundation
import XCTest
#if canImport(Glibc)
import Glibc
#endif

/// Determinism and interruption: same seed → byte-identical outputs; SIGKILL at any
/// moment → outputs complete or absent, and `compare` resumes to the same report.
final class ReliabilityTests: XCTestCase {
    var folder: URL!

    override func setUpWithError() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("pretext-reliability-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: folder) }

    func path(_ name: String) -> String { folder.appendingPathComponent(name).path }

    let quickFit = ["fit", "datasets/wine.csv", "--target", "target", "--pretrain-epochs", "4", "--encoder-width", "32",
                    "--fine-tune-epochs", "6", "--quiet", "--seed", "7"]
    let quickCompare = ["compare", "datasets/wine.csv", "--target", "target", "--repeats", "2", "--labels", "25%,100%",
                        "--methods", "xgboost,mlp,scarf-full", "--baseline-trials", "2", "--pretrain-epochs", "4",
                        "--encoder-width", "32", "--quiet"]

    /// report.json without wall times (fits and pretraining).
    func reportWithoutTimings(_ directory: String) throws -> Data {
        func strip(_ value: Any) -> Any {
            if let dictionary = value as? [String: Any] {
                return dictionary.filter { $0.key != "seconds" && $0.key != "pretrainingSeconds" }.mapValues(strip)
            }
            if let array = value as? [Any] { return array.map(strip) }
            return value
        }
        let object = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: directory + "/report.json")))
        return try JSONSerialization.data(withJSONObject: strip(object), options: [.sortedKeys])
    }

    func testSameSeedGivesByteIdenticalModelsPredictionsAndReports() throws {
        for name in ["a", "b"] {
            XCTAssertEqual(try runPretext(quickFit + ["-o", path("\(name).safetensors")]).status, 0)
            XCTAssertEqual(try runPretext(["predict", path("\(name).safetensors"), "datasets/wine.csv", "-o", path("\(name).csv")]).status, 0)
            XCTAssertEqual(try runPretext(quickCompare + ["-o", path("report-\(name)")]).status, 0)
        }
        XCTAssertEqual(FileManager.default.contents(atPath: path("a.safetensors")), FileManager.default.contents(atPath: path("b.safetensors")))
        XCTAssertEqual(FileManager.default.contents(atPath: path("a.csv")), FileManager.default.contents(atPath: path("b.csv")))
        XCTAssertEqual(try reportWithoutTimings(path("report-a")), try reportWithoutTimings(path("report-b")))
    }

    func testSeriesForecastIsByteIdenticalForTheSameSeed() throws {
        let pretrain = ["series", "pretrain", "datasets/italy_power_demand_train.csv", "--wide", "--target", "target", "--lookback", "12",
                        "--pretrain-epochs", "2", "--encoder-width", "8", "--quiet", "--seed", "3"]
        for name in ["a", "b"] {
            XCTAssertEqual(try runPretext(pretrain + ["-o", path("encoder-\(name).safetensors")]).status, 0)
            let forecast = try runPretext(["series", "forecast", "datasets/airline.csv", "--time", "date", "--value", "passengers", "--horizon", "12",
                                           "--encoder", path("encoder-\(name).safetensors"), "--fine-tune-epochs", "5", "--encoder-width", "8", "--quiet", "--seed", "3",
                                           "--save-model", path("forecaster-\(name).safetensors"), "-o", path("forecast-\(name).csv")])
            XCTAssertEqual(forecast.status, 0, forecast.standardError)
        }
        for file in ["encoder-%@.safetensors", "forecaster-%@.safetensors", "forecast-%@.csv"] {
            let a = FileManager.default.contents(atPath: path(String(format: file, "a")))
            XCTAssertNotNil(a)
            XCTAssertEqual(a, FileManager.default.contents(atPath: path(String(format: file, "b"))), file)
        }
    }

    /// Starts `arguments`, kills it with SIGKILL after `delay` seconds (if still running).
    func runAndKill(_ arguments: [String], after delay: Double) throws {
        let process = Process()
        process.executableURL = Bundle.main.bundleURL.appendingPathComponent("pretext")
        process.arguments = arguments
        process.currentDirectoryURL = repositoryRoot
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        Thread.sleep(forTimeInterval: delay)
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        process.waitUntilExit()
    }

    func testKilledRunsLeaveCompleteOrAbsentOutputsAndCompareResumes() throws {
        var generator = SystemRandomNumberGenerator()
        // pretrain, fit and predict: the output is either absent or a complete, loadable file.
        let quickPretrain = ["pretrain", "datasets/wine.csv", "--target", "target", "--pretrain-epochs", "6", "--encoder-width", "32", "--quiet"]
        for attempt in 0..<3 {
            let encoder = path("killed-encoder-\(attempt).safetensors")
            try runAndKill(quickPretrain + ["-o", encoder], after: Double.random(in: 0.05...1.0, using: &generator))
            if FileManager.default.fileExists(atPath: encoder) {
                let check = try runPretext(["embed", encoder, "datasets/wine.csv", "-o", path("embedding-check.csv")])
                XCTAssertEqual(check.status, 0, "an encoder file that exists must be complete: \(check.standardError)")
            }
        }
        for attempt in 0..<4 {
            let model = path("killed-\(attempt).safetensors")
            try runAndKill(quickFit + ["-o", model], after: Double.random(in: 0.05...1.5, using: &generator))
            if FileManager.default.fileExists(atPath: model) {
                let check = try runPretext(["predict", model, "datasets/wine.csv", "-o", path("check.csv")])
                XCTAssertEqual(check.status, 0, "a model file that exists must be complete: \(check.standardError)")
            }
            // A kill during the final write may leave a hidden `.name.partial-PID` file;
            // the target itself is never partial.
        }
        XCTAssertEqual(try runPretext(quickFit + ["-o", path("model.safetensors")]).status, 0)
        for attempt in 0..<3 {
            let output = path("predictions-\(attempt).csv")
            try runAndKill(["predict", path("model.safetensors"), "datasets/wine.csv", "-o", output],
                           after: Double.random(in: 0.01...0.3, using: &generator))
            if let data = FileManager.default.contents(atPath: output) {
                XCTAssertEqual(String(decoding: data, as: UTF8.self).split(separator: "\n").count, 179, "complete or absent")
            }
        }
        // compare: killed twice, then finished; the report equals an uninterrupted run's.
        let interrupted = path("interrupted")
        for delay in [1.0, 2.5] { try runAndKill(quickCompare + ["-o", interrupted], after: delay) }
        XCTAssertEqual(try runPretext(quickCompare + ["-o", interrupted]).status, 0)
        XCTAssertEqual(try runPretext(quickCompare + ["-o", path("straight")]).status, 0)
        XCTAssertEqual(try reportWithoutTimings(interrupted), try reportWithoutTimings(path("straight")))
    }

    func testKilledSeriesRunsLeaveCompleteOrAbsentOutputsAndSeriesCompareResumes() throws {
        var generator = SystemRandomNumberGenerator()
        let forecast = ["series", "forecast", "datasets/airline.csv", "--time", "date", "--value", "passengers", "--horizon", "12",
                        "--fine-tune-epochs", "40", "--encoder-width", "8", "--quiet"]
        for attempt in 0..<3 {
            let output = path("forecast-\(attempt).csv"), model = path("forecaster-\(attempt).safetensors")
            try runAndKill(forecast + ["--save-model", model, "-o", output], after: Double.random(in: 0.05...1.0, using: &generator))
            if let data = FileManager.default.contents(atPath: output) {
                XCTAssertEqual(String(decoding: data, as: UTF8.self).split(separator: "\n").count, 13, "complete or absent")
            }
            if FileManager.default.fileExists(atPath: model) {
                let check = try runPretext(["series", "forecast", "datasets/airline.csv", "--time", "date", "--value", "passengers",
                                            "--model", model, "-o", path("check.csv")])
                XCTAssertEqual(check.status, 0, "a forecaster file that exists must be complete: \(check.standardError)")
            }
        }
        // series compare: killed twice, then finished; the report equals an uninterrupted run's.
        let compare = ["series", "compare", "datasets/airline.csv", "--time", "date", "--value", "passengers", "--horizon", "12",
                       "--folds", "2", "--histories", "48,all", "--repeats", "2", "--methods", "seasonal-naive,xgboost-lags,scratch,pretrained-full",
                       "--baseline-trials", "0", "--fine-tune-epochs", "20", "--pretrain-epochs", "5", "--encoder-width", "8", "--quiet"]
        let interrupted = path("series-interrupted")
        for delay in [1.0, 2.5] { try runAndKill(compare + ["-o", interrupted], after: delay) }
        XCTAssertEqual(try runPretext(compare + ["-o", interrupted]).status, 0)
        XCTAssertEqual(try runPretext(compare + ["-o", path("series-straight")]).status, 0)
        XCTAssertEqual(try reportWithoutTimings(interrupted), try reportWithoutTimings(path("series-straight")))
    }
}
