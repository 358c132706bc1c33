import XCTest
import PretextData
import PretextNN
import PretextSSL
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

    /// What `bench train` times is the product: the timed pretraining's loss, epoch by
    /// epoch, is what `Pretrainer.fit` gives for the same table and configuration — and a
    /// different configuration (batch) gives other losses, so the comparison can fail.
    func testTheTimedPretrainingIsPretrainerFitItself() throws {
        _ = try BLAS.load()
        let measurement = try TrainingBenchmark.pretraining(rows: 300, features: 5, batch: 32, epochs: 2, seed: 4)
        let table = TrainingBenchmark.syntheticTable(rows: 300, features: 5, seed: 4)
        let encoder = try Pretrainer(config: TrainingBenchmark.pretrainingConfig(batch: 32, epochs: 2, seed: 4)).fit(table)
        XCTAssertEqual(measurement.trainingLosses.count, 2)
        XCTAssertEqual(measurement.trainingLosses, encoder.history.epochs.map(\.trainingLoss))
        let other = try Pretrainer(config: TrainingBenchmark.pretrainingConfig(batch: 64, epochs: 2, seed: 4)).fit(table)
        XCTAssertNotEqual(measurement.trainingLosses, other.history.epochs.map(\.trainingLoss))
    }

    func testTheSyntheticTableIsSeededAndLabeled() {
        let a = TrainingBenchmark.syntheticTable(rows: 50, features: 4, seed: 3)
        XCTAssertEqual(a, TrainingBenchmark.syntheticTable(rows: 50, features: 4, seed: 3))
        XCTAssertNotEqual(a, TrainingBenchmark.syntheticTable(rows: 50, features: 4, seed: 4))
        XCTAssertEqual(a.target?.name, "y")
        XCTAssertEqual(a.columns.count, 5)
    }
}
