import XCTest
import PretextData
import PretextNN
import PretextTestSupport
@testable import PretextSSL

/// TS2Vec's hierarchical contrast: its gradient by finite differences (through the
/// max-pooling), the levels it builds, and pretraining with it.
final class HierarchicalContrastTests: XCTestCase {
    /// Four series, crops of 8 steps, 3-wide step representations: shared stamps 8 (same
    /// crop), 6 (shifted by 2), 3 (shifted by 5) and 4 (a series of 4 steps padded at the
    /// start) — so the levels have different lengths per series: 8→4→2→1, 6→3→1, 3→1, 4→2→1.
    let pairs = [(0, 0), (3, 5), (0, 5), (-4, -4)]
    let lengths = [20, 20, 20, 4]
    let (crop, width) = (8, 3)

    func loss(_ steps: Matrix, gradient: inout Matrix) -> Double {
        HierarchicalContrast.accumulate(steps: steps, gradient: &gradient, pairs: pairs, lengths: lengths, crop: crop, temperature: 0.5, scale: 1)
    }

    func testGradientMatchesFiniteDifferences() {
        var checker = GradientChecker()
        checker.samples = 2 * 4 * 8 * 3   // every coordinate
        var generator = SeededGenerator(seed: 21)
        let steps = checker.random(8, crop * width, &generator)
        var gradient = Matrix(rows: 8, columns: crop * width)
        _ = loss(steps, gradient: &gradient)
        checker.check("HierarchicalContrast", at: steps, analytic: gradient) { point in
            var unused = Matrix(rows: 8, columns: self.crop * self.width)
            return self.loss(point, gradient: &unused)
        }
    }

    /// Only shared stamps get a gradient; `scale` scales it; views that agree at every
    /// scale score lower than unrelated ones.
    func testSharedStampsScaleAndAgreement() {
        var generator = SeededGenerator(seed: 22)
        let steps = GradientChecker().random(8, crop * width, &generator)
        var gradient = Matrix(rows: 8, columns: crop * width), doubled = Matrix(rows: 8, columns: crop * width)
        let value = loss(steps, gradient: &gradient)
        _ = HierarchicalContrast.accumulate(steps: steps, gradient: &doubled, pairs: pairs, lengths: lengths, crop: crop, temperature: 0.5, scale: 2)
        XCTAssertGreaterThan(value, 0)
        for (a, b) in zip(gradient.values, doubled.values) { XCTAssertEqual(2 * a, b, accuracy: 1e-6) }
        func touched(_ row: Int) -> [Bool] { (0..<crop).map { t in (0..<width).contains { gradient[row, t * width + $0] != 0 } } }
        // Series 1: crop 1 covers stamps 3…10, crop 2 5…12; shared 5…10.
        XCTAssertEqual(touched(1), [false, false, true, true, true, true, true, true])
        XCTAssertEqual(touched(5), [true, true, true, true, true, true, false, false])
        // Series 3: stamps −4…−1 are padding.
        XCTAssertEqual(touched(3), [false, false, false, false, true, true, true, true])
        // View 2 equal to view 1 on every shared stamp: agreement at every level.
        var same = steps
        for series in 0..<4 {
            let (first, second) = pairs[series]
            let low = max(first, second, 0), high = min(min(first, second) + crop, lengths[series])
            for stamp in low..<high {
                for channel in 0..<width { same[4 + series, (stamp - second) * width + channel] = steps[series, (stamp - first) * width + channel] }
            }
        }
        var scratch = Matrix(rows: 8, columns: crop * width)
        XCTAssertLessThan(loss(same, gradient: &scratch), value)
    }

    /// Pretraining with the hierarchical term lowers the held-out loss and is
    /// reproducible; it differs from the temporal term alone; it needs λ > 0.
    func testPretrainingWithHierarchicalContrast() throws {
        let collection = try italyTrainingSeries()
        var config = quickContrastive()
        config.temporalWeight = 1
        config.hierarchical = true
        let encoder = try pretrainLearnsAndIsReproducible(config, on: collection)
        config.hierarchical = false
        XCTAssertNotEqual(try ContrastiveSeriesPretrainer(config: config).fit(collection).network.store.values, encoder.network.store.values)
        config.hierarchical = true
        config.temporalWeight = 0
        XCTAssertThrowsError(try ContrastiveSeriesPretrainer(config: config).fit(collection))
    }
}
