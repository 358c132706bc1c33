@testable import PretextNN
import XCTest

final class TrainBenchmarkTests: XCTestCase {
    /// One SCARF step at d = 20, B = 128: 256 stacked rows through 20→256, five 256→256
    /// products (three encoder, two head), three times (forward, input and weight
    /// gradients), plus InfoNCE's (128 × 128 × 256) similarity and its two gradient products.
    func testScarfStepFlopsCountEveryProduct() {
        let multiplyAdds: Int = 256 * (20 * 256 + 5 * 256 * 256)
        let similarity: Int = 128 * 128 * 256
        let expected = Double(3 * 2 * multiplyAdds + 3 * 2 * similarity)
        XCTAssertEqual(TrainBenchmark.scarfStepFlops(features: 20, batch: 128), expected)
        XCTAssertEqual(expected, 536_346_624)   // the same as scripts/pytorch_scarf_step.py's scarf_step_flops(20, 128)
    }

    /// The median step's rate is reported for SCARF steps (a real measurement, bounded by
    /// the step count) and left blank for supervised epochs.
    func testScarfStepReportsItsMedianStep() throws {
        _ = try BLAS.load()
        let measurement = try TrainBenchmark.scarfStep(features: 8, batch: 16, seconds: 0.05)
        let median = try XCTUnwrap(measurement.medianStepRowsPerSecond)
        XCTAssertGreaterThan(median, 0)
        XCTAssertTrue(median.isFinite)
        let supervised = TrainBenchmark.Measurement(label: "MLP epoch", rowsPerSecond: 10, gigaflops: 1)
        let table = TrainBenchmark.render([measurement, supervised], status: try BLAS.load(), peakGigaflops: 100)
        let rows = table.split(separator: "\n").filter { $0.hasPrefix("| SCARF") || $0.hasPrefix("| MLP") }
        XCTAssertEqual(rows.count, 2)
        XCTAssertTrue(rows[0].hasSuffix("| \(Int(median.rounded())) |"), String(rows[0]))
        XCTAssertTrue(rows[1].hasSuffix("| – |"), String(rows[1]))
    }
}
