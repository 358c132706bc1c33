import Foundation
import XCTest
import PretextTestSupport
import PretextData
import PretextNN
@testable import PretextSSL
import PretextTransfer

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

    func cache(_ name: String, in folder: String) throws -> CachedTable {
        let output = folder + "/\(name).pretext"
        try ColumnarCache.build(datasetsPath + "/\(name).csv", to: output)
        return try CachedTable(path: output)
    }

    /// A window-by-window epoch visits every training row once, reads each window's rows
    /// together, and gathers exactly the features of the rows asked for.
    func testWindowedEpochsVisitEveryRowOnceAndGatherTheRightFeatures() throws {
        let folder = NSTemporaryDirectory() + "pretext-windowed-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let cache = try cache("credit_data", in: folder)
        let preprocessor = try Preprocessor(config: PreprocessingConfig()).fit(cache, excluding: ["target"])
        let source = try CachedFeatureRows(cache: cache, preprocessor: preprocessor)
        // Training rows, in file order: every row but every 11th from row 5 (the hold-out).
        let rows = RowsExcept(total: cache.rowCount, excluding: Array(stride(from: 5, to: cache.rowCount, by: 11)))
        let windows = WindowedFeatureRows(source: source, rows: rows, blockRows: 64, windowBlocks: 3)
        windows.sliceRows = 50   // windows load in several slices
        var generator = SeededGenerator(seed: 4, stream: "test")
        let all = source.rows(Array(rows))
        var previous: [Int] = []
        for _ in 0..<2 {
            windows.startEpoch(generator: &generator)
            let order = (0..<rows.count).map(windows.position)   // the epoch's order, as the windows walk it
            XCTAssertEqual(order.sorted(), Array(0..<rows.count), "every row once")
            XCTAssertNotEqual(order, previous, "a new order each epoch")
            previous = order
            // Each window's rows come together: cut the order wherever every block touched
            // so far is complete; no piece holds more than a window's 3 blocks.
            var touched: Set<Int> = [], seen = 0, pieces = 0
            for position in order {
                touched.insert(position / 64)
                seen += 1
                if seen == touched.reduce(0, { $0 + min(64, rows.count - $1 * 64) }) {
                    XCTAssertLessThanOrEqual(touched.count, 3)
                    touched = []
                    seen = 0
                    pieces += 1
                }
            }
            XCTAssertTrue(touched.isEmpty)
            XCTAssertGreaterThanOrEqual(pieces, (rows.count + 191) / 192)
            for batch in [Array(0..<50), Array(170..<230), Array((order.count - 7)..<order.count)] {
                let (anchors, pool) = windows.gather(batch)
                XCTAssertEqual(anchors.values, all.gatheringRows(batch.map { order[$0] }).values)
                XCTAssertLessThanOrEqual(pool.rows, 192, "donors come from one window")
                XCTAssertEqual(pool.columns, all.columns)
            }
        }
        // The same rows given as an array (fine-tuning's labeled rows): the same epochs, and
        // a pass over every row in file order, a slice at a time.
        let listed = WindowedFeatureRows(source: source, rows: Array(rows), blockRows: 64, windowBlocks: 3)
        var first = SeededGenerator(seed: 9, stream: "test"), second = SeededGenerator(seed: 9, stream: "test")
        windows.startEpoch(generator: &first)
        listed.startEpoch(generator: &second)
        XCTAssertEqual((0..<rows.count).map(listed.position), (0..<rows.count).map(windows.position))
        XCTAssertEqual(listed.gather(Array(100..<180)).anchors.values, windows.gather(Array(100..<180)).anchors.values)
        var sliced: [Float] = []
        listed.forEachSlice(rows: 37) { sliced += $0.values }
        XCTAssertEqual(sliced, all.values)
    }

    /// Above the window size, pretraining from a cache goes window by window: the same
    /// seed gives the same encoder, and it learns what the exact path learns. On
    /// breast_cancer (windows of 4 blocks of 16 rows), a linear probe at 10% labels on its
    /// embeddings beats one on the untrained encoder (measured: 0.920, against 0.623 —
    /// the majority class — untrained, and 0.934 for the exact path) and stays near the
    /// exact one.
    func testWindowedPretrainingIsSeededAndLearnsLikeTheExactPath() throws {
        let folder = NSTemporaryDirectory() + "pretext-windowed-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let cache = try cache("breast_cancer", in: folder)
        let config = quickScarf(seed: 6, epochs: 30, width: 64)
        var windowed = Pretrainer(config: config)
        windowed.streamingBlockRows = 16
        let features = try Preprocessor(config: config.preprocessing).fit(cache, excluding: ["target"]).featureNames.count
        windowed.streamingWindowBytes = 4 * 16 * 4 * features   // windows of 4 blocks of 16 rows
        let first = try windowed.fit(cache, excluding: ["target"])
        let again = try windowed.fit(cache, excluding: ["target"])
        XCTAssertEqual(first.network.store.values, again.network.store.values, "seeded")
        let exact = try Pretrainer(config: config).fit(cache, excluding: ["target"])
        XCTAssertNotEqual(first.network.store.values, exact.network.store.values, "the windowed path ran")

        let table = try loadTable("breast_cancer.csv")
        let labeled = Array(stride(from: 0, to: table.rowCount, by: 10))
        let test = Array(Set(0..<table.rowCount).subtracting(labeled)).sorted()
        var probe = FineTuneConfig()
        probe.strategy = .linearProbe
        probe.seed = 1
        func accuracy(_ encoder: PretrainedEncoder) throws -> Double {
            let model = try FineTuner(config: probe).fit(encoder: encoder, table: table, rows: labeled)
            return PretextSSLTests.accuracy(try model.predict(table.selecting(rows: test)).labels, table, rows: test)
        }
        let untrained = try Pretrainer(config: config).untrained(table)
        let (windowedAccuracy, exactAccuracy, untrainedAccuracy) = (try accuracy(first), try accuracy(exact), try accuracy(untrained))
        print("linear probe accuracy: windowed \(windowedAccuracy), exact \(exactAccuracy), untrained \(untrainedAccuracy)")
        XCTAssertGreaterThan(windowedAccuracy, untrainedAccuracy + 0.03)
        XCTAssertGreaterThan(windowedAccuracy, exactAccuracy - 0.03)
    }
}
