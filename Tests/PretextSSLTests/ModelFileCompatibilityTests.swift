import Foundation
import XCTest
import PretextTestSupport
import PretextData
import PretextNN
import PretextBaselines
import PretextAuto
import PretextTransfer

/// Model files stay readable: a committed file in the first format (Swift's synthesized
/// enum coding) and one in the current format load through the loader every command uses
/// and predict what they predicted when written.
final class ModelFileCompatibilityTests: XCTestCase {
    let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/models")

    func predictionsCSV(_ model: TabularPredictor, _ table: Table) throws -> String {
        let (csv, _) = try Workflow.predict(model, table: table, idColumns: [])
        let path = NSTemporaryDirectory() + "pretext-compat-\(UUID().uuidString).csv"
        defer { try? FileManager.default.removeItem(atPath: path) }
        try csv.write(to: path)
        return try String(contentsOfFile: path, encoding: .utf8)
    }

    /// The same header and predicted labels, and every probability within 1e-4 of the
    /// committed one: the files' values are what they were, while the last printed digits of
    /// a product can differ between CPUs (the fixtures were written on one with AVX-512;
    /// an AMD machine without it differs from the sixth significant digit on).
    func assertSamePredictions(_ actual: String, _ expected: String, _ label: String,
                               file: StaticString = #filePath, line: UInt = #line) {
        let actualRows = actual.split(separator: "\n").map { $0.split(separator: ",", omittingEmptySubsequences: false) }
        let expectedRows = expected.split(separator: "\n").map { $0.split(separator: ",", omittingEmptySubsequences: false) }
        XCTAssertEqual(actualRows.count, expectedRows.count, "\(label): row count", file: file, line: line)
        XCTAssertGreaterThan(expectedRows.count, 1, "\(label): the fixture has predictions", file: file, line: line)
        for (index, (got, want)) in zip(actualRows, expectedRows).enumerated() {
            XCTAssertEqual(got.count, want.count, "\(label): row \(index) fields", file: file, line: line)
            for (field, (a, b)) in zip(got, want).enumerated() {
                if index > 0, let x = Double(a), let y = Double(b) {
                    XCTAssertEqual(x, y, accuracy: 1e-4, "\(label): row \(index), field \(field)", file: file, line: line)
                } else {
                    XCTAssertEqual(a, b, "\(label): row \(index), field \(field)", file: file, line: line)
                }
            }
        }
    }

    func testEveryCommittedModelFileLoadsAndPredictsAsWhenWritten() throws {
        let (table, _) = try CSVReader().read(datasetsPath + "/penguins.csv")
        for name in ["legacy-tabular", "current-tabular"] {
            let path = fixtures.appendingPathComponent("\(name).safetensors").path
            let model = try ModelLoader.loadPredictor(from: path)
            let expected = try String(contentsOfFile: fixtures.appendingPathComponent("\(name)-predictions.csv").path, encoding: .utf8)
            assertSamePredictions(try predictionsCSV(model, table), expected, name)
        }
        // A MiniRocket classifier written by 0.10.0 (univariate, wide; before channel
        // subsets and the long layout) predicts the Italy test split as it did then.
        let (italy, _) = try CSVReader().read(datasetsPath + "/italy_power_demand_test.csv")
        let minirocket = try ModelLoader.loadPredictor(from: fixtures.appendingPathComponent("legacy-minirocket.safetensors").path)
        let expected = try String(contentsOfFile: fixtures.appendingPathComponent("legacy-minirocket-predictions.csv").path, encoding: .utf8)
        assertSamePredictions(try predictionsCSV(minirocket, italy), expected, "legacy-minirocket")
        // The legacy file really is in the old spelling, the current one in the new.
        let legacy = try SafeTensors.read(from: fixtures.appendingPathComponent("legacy-tabular.safetensors").path)
        XCTAssertEqual(legacy.metadata["pretext.format_version"], "1")
        XCTAssertTrue(legacy.metadata["pretext.model"]!.contains("\"mlp\":{\"_0\":"))
        let current = try SafeTensors.read(from: fixtures.appendingPathComponent("current-tabular.safetensors").path)
        XCTAssertEqual(current.metadata["pretext.format_version"], "2")
        XCTAssertNotNil(current.metadata["pretext.version"])
        XCTAssertTrue(current.metadata["pretext.model"]!.contains("\"kind\":\"mlp\""))
        XCTAssertFalse(current.metadata["pretext.model"]!.contains("\"_0\""))
    }

    /// Every enum a model file holds round-trips through the explicit spelling.
    func testExplicitEnumSpellingsRoundTrip() throws {
        let values: [Architecture] = [.mlp(MLPConfig(depth: 2, hiddenWidth: 8)), .linear, .resnet(ResNetConfig()),
                                      .tcn(TCNConfig(inputChannels: 2, width: 4, dilations: [1, 2]))]
        for value in values {
            let data = try JSONEncoder().encode(value)
            XCTAssertEqual(try JSONDecoder().decode(Architecture.self, from: data), value)
            XCTAssertTrue(String(decoding: data, as: UTF8.self).contains("\"kind\""))
        }
        for schedule in [LearningRateSchedule.constant, .cosine(warmupSteps: 10, minimumFactor: 0.1)] {
            XCTAssertEqual(try JSONDecoder().decode(LearningRateSchedule.self, from: try JSONEncoder().encode(schedule)), schedule)
        }
        XCTAssertEqual(try JSONDecoder().decode(LearningRateSchedule.self, from: Data(#"{"cosine":{"warmupSteps":5,"minimumFactor":0.5}}"#.utf8)),
                       .cosine(warmupSteps: 5, minimumFactor: 0.5))
        XCTAssertThrowsError(try JSONDecoder().decode(Architecture.self, from: Data(#"{"kind":"transformer"}"#.utf8)))
    }
}
