import XCTest
import PretextNN
@testable import PretextBaselines

/// The max-pooled readout of a frozen TCN (`EncoderRidgeClassifier.Features.max`) takes
/// each feature's maximum over the steps where the series has an observed value.
final class ObservedMaximumTests: XCTestCase {
    func testMaximumSkipsStepsWithoutAnObservedValue() {
        // 3 series, L = 3 steps, W = 2 features, C = 2 channels.
        let steps = Matrix(rows: 3, columns: 6, values: [
            9, 9,   1, -4,   3, -2,     // step 0 is padding (no flag): its 9s are left out
            5, 0,   2, 7,    1, 1,      // every step observed
            -3, 2,  -1, -5,  -2, 8,     // nothing observed: every step counts
        ])
        let inputs = Matrix(rows: 3, columns: 12, values: [
            0, 0, 0, 0,   0.5, 0, 1, 0,   0, 2, 0, 1,    // values (2) then flags (2) per step
            1, 1, 1, 1,   0, 0, 1, 0,     3, 3, 1, 1,
            0, 0, 0, 0,   0, 0, 0, 0,     0, 0, 0, 0,
        ])
        let pooled = EncoderRidgeClassifier.observedMaximum(steps, width: 2, inputs: inputs)
        XCTAssertEqual(pooled.rows, 3)
        XCTAssertEqual(pooled.columns, 2)
        XCTAssertEqual(pooled.values, [3, -2,   5, 7,   -1, 8])
    }
}
