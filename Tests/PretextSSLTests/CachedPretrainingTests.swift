import Foundation
import XCTest
import PretextTestSupport
import PretextData
import PretextNN
@testable import PretextSSL

/// Pretraining streamed from a columnar cache trains the very model pretraining the
/// table in memory trains (same preprocessing and seed), for every objective's path
/// through the corruption; with its own streamed preprocessing it learns as well.
final class CachedPretrainingTests: XCTestCase {
    func testStreamingFromTheCacheTrainsTheSameModelAsTheTableInMemory() throws {
        let folder = NSTemporaryDirectory() + "pretext-cached-pretraining-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let output = folder + "/credit.pretext"
        try ColumnarCache.build(datasetsPath + "/credit_data.csv", to: output)
        let cache = try CachedTable(path: output)
        var table = try loadTable("credit_data.csv")
        XCTAssertEqual(table.target?.name, "target")
        for objective in [PretrainingObjective.scarf, PretrainingObjective(parsing: "scarf+reconstruct")!] {
            var config = quickScarf(seed: 3, epochs: 2, width: 32)
            config.objective = objective
            let preprocessor = try Preprocessor(config: config.preprocessing).fit(table, rows: Array(0..<table.rowCount))
            let inMemory = try Pretrainer(config: config).fit(table, preprocessor: preprocessor)
            let streamed = try Pretrainer(config: config).fit(cache, excluding: ["target"], preprocessor: preprocessor)
            XCTAssertEqual(streamed.network.store.values, inMemory.network.store.values, "\(objective): the same weights, bit for bit")
            XCTAssertEqual(streamed.history.epochs.map(\.trainingLoss), inMemory.history.epochs.map(\.trainingLoss))
            XCTAssertEqual(streamed.history.epochs.map(\.validationLoss), inMemory.history.epochs.map(\.validationLoss))
        }
        // With its own preprocessing, fitted in one streamed pass, it trains too.
        let own = try Pretrainer(config: quickScarf(seed: 3, epochs: 2, width: 32)).fit(cache, excluding: ["target"])
        XCTAssertEqual(own.preprocessor.features.map(\.name), table.columns.filter { $0.role == .feature }.map(\.name))
        let losses = own.history.epochs.compactMap(\.validationLoss)
        XCTAssertEqual(losses.count, 2)
        XCTAssertTrue(losses.allSatisfy(\.isFinite))
        table.columns.removeAll { $0.role == .target }
        XCTAssertEqual(try own.transform(table).rows, table.rowCount)
    }

    /// Early stopping holds out 10% of the rows, at most 20,000 drawn at random; the
    /// others train. (A streamed table would otherwise hold 10% of millions of rows.)
    func testTheHeldOutRowsAreCapped() {
        let pretrainer = Pretrainer(config: quickScarf(seed: 5))
        let small = pretrainer.split(Array(0..<1_000))
        XCTAssertEqual(small.validation.count, 100)
        let pool = Array(0..<250_000)
        let (train, validation) = pretrainer.split(pool)
        XCTAssertEqual(validation.count, Pretrainer.maximumValidationRows)
        XCTAssertEqual(train.count + validation.count, pool.count)
        XCTAssertEqual(Set(train).union(validation).count, pool.count, "disjoint, and every row is used")
        XCTAssertEqual(validation, validation.sorted())
        XCTAssertGreaterThan(validation.last!, 200_000, "drawn from the whole hold-out, not its first rows")
        XCTAssertLessThan(validation.first!, 1_000)
    }
}
