import XCTest
import PretextData
import PretextNN
@testable import PretextBenchmarks

/// `bench train` times the library's own fits, for exactly the epochs asked.
final class TrainingBenchmarkTests: XCTestCase {
    func testEachWorkloadRunsTheProductPathForTheAskedEpochs() throws {
        _ = try BLAS.load()
        let pretraining = try TrainingBenchmark.pretraining(rows: 200, features: 6, batch: 32, epochs: 2)
        XCTAssertEqual(pretraining.epochs, 2)
        XCTAssertEqual(pretraining.trainingRows, 180, "the pool minus Pretrainer's 10% validation part")
        XCTAssertTrue(pretraining.rowsPerSecond.isFinite && pretraining.rowsPerSecond > 0)
        let fineTuning = try TrainingBenchmark.fineTuning(rows: 200, features: 6, batch: 32, epochs: 3)
        XCTAssertEqual(fineTuning.epochs, 3)
        XCTAssertEqual(fineTuning.trainingRows, 200)
        let supervised = try TrainingBenchmark.supervised(rows: 200, features: 6, batch: 32, epochs: 2)
        XCTAssertEqual(supervised.trainingRows, 200)
        let table = TrainingBenchmark.render([pretraining, fineTuning, supervised], status: try BLAS.load())
        XCTAssertEqual(table.split(separator: "\n").filter { $0.hasPrefix("| Pretrainer.fit") || $0.hasPrefix("| FineTuner.fit") || $0.hasPrefix("| MLPClassifier.fit") }.count, 3)
    }

    func testTheSyntheticTableIsSeededAndLabeled() {
        let a = TrainingBenchmark.syntheticTable(rows: 50, features: 4, seed: 3)
        XCTAssertEqual(a, TrainingBenchmark.syntheticTable(rows: 50, features: 4, seed: 3))
        XCTAssertNotEqual(a, TrainingBenchmark.syntheticTable(rows: 50, features: 4, seed: 4))
        XCTAssertEqual(a.target?.name, "y")
        XCTAssertEqual(a.columns.count, 5)
    }
}
