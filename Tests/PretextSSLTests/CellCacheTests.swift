import Foundation
import XCTest
import PretextTestSupport
import PretextData
import PretextNN
@testable import PretextReport

/// Finished cells are reused only for the same data content, settings and code.
final class CellCacheTests: XCTestCase {
    var folder: String!

    override func setUpWithError() throws {
        folder = NSTemporaryDirectory() + "pretext-cache-\(UUID().uuidString)"
    }

    override func tearDownWithError() throws { try? FileManager.default.removeItem(atPath: folder) }

    func testContentFingerprintFollowsValuesNotNames() throws {
        let table = try loadTable("wine.csv")
        var renamed = table
        renamed.source = "/elsewhere/another-name.csv"
        XCTAssertEqual(renamed.contentFingerprint, table.contentFingerprint)
        var edited = table
        guard case .numeric(var values) = edited.columns[3].storage else { return XCTFail("a numeric column") }
        values[100] = values[100].nextUp
        edited.columns[3].storage = .numeric(values)
        XCTAssertNotEqual(edited.contentFingerprint, table.contentFingerprint, "one value one ulp apart")
        var role = table
        role.columns[0].role = .ignored
        XCTAssertNotEqual(role.contentFingerprint, table.contentFingerprint)
        var category = table
        category.columns = [Column(name: "c", type: .categorical, storage: .categorical(codes: [0, 1], vocabulary: ["ab", "c"]))]
        var split = category
        split.columns[0].storage = .categorical(codes: [0, 1], vocabulary: ["a", "bc"])
        XCTAssertNotEqual(category.contentFingerprint, split.contentFingerprint)
    }

    func testCellsAreKeptOnlyForTheSameDataSettingsAndCode() throws {
        struct Cell: Codable, Equatable { var value: Double }
        let settings: [any Encodable] = [["epochs": 3]]
        let first = try CellCache<Cell>(directory: folder, data: ["data-a"], settings: settings, code: "code-1")
        try first.store(Cell(value: 0.5), seed: 0, point: "5%", method: "mlp")
        let same = try CellCache<Cell>(directory: folder, data: ["data-a"], settings: settings, code: "code-1")
        XCTAssertEqual(same.cached(seed: 0, point: "5%", method: "mlp"), Cell(value: 0.5))
        XCTAssertNil(same.cached(seed: 1, point: "5%", method: "mlp"))
        XCTAssertNil(try CellCache<Cell>(directory: folder, data: ["data-b"], settings: settings, code: "code-1")
            .cached(seed: 0, point: "5%", method: "mlp"), "edited data")
        XCTAssertNil(try CellCache<Cell>(directory: folder, data: ["data-a"], settings: [["epochs": 4]], code: "code-1")
            .cached(seed: 0, point: "5%", method: "mlp"), "another setting")
        XCTAssertNil(try CellCache<Cell>(directory: folder, data: ["data-a"], settings: settings, code: "code-2")
            .cached(seed: 0, point: "5%", method: "mlp"), "other code")
        XCTAssertNil(try CellCache<Cell>(directory: nil, data: ["data-a"], settings: settings).cached(seed: 0, point: "5%", method: "mlp"))
    }

    /// `compare`'s experiment: a second run keeps every cell; after one edited value in
    /// the data, none.
    func testAnEditedValueRecomputesEveryCell() throws {
        let table = try loadTable("wine.csv")
        var configuration = LabelEfficiencyExperiment.Configuration()
        configuration.seeds = 1
        configuration.budgets = [.fraction(0.5)]
        configuration.methods = [.linear]
        configuration.supervised.training.maximumEpochs = 3
        configuration.cacheDirectory = folder
        func run(_ table: Table) throws -> [String] {
            var logged: [String] = []
            _ = try LabelEfficiencyExperiment(configuration: configuration) { logged.append($0) }.run(table)
            return logged
        }
        XCTAssertFalse(try run(table).joined().contains("kept from an earlier run"))
        XCTAssertTrue(try run(table).allSatisfy { $0.contains("kept from an earlier run") })
        var edited = table
        guard case .numeric(var values) = edited.columns[0].storage else { return XCTFail("a numeric column") }
        values[0] += 1
        edited.columns[0].storage = .numeric(values)
        XCTAssertFalse(try run(edited).joined().contains("kept from an earlier run"))
    }
}
