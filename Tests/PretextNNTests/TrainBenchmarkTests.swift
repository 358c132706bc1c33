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
}
