import XCTest
import PretextData
import PretextNN
import PretextTestSupport
@testable import PretextSSL

/// TS2Vec's temporal term: its gradient by finite differences, that it reads only the
/// time stamps both crops share, overlapping crops, and pretraining with it.
final class TemporalContrastTests: XCTestCase {
    /// Three series, crops of 6 steps, 2-wide step representations: crops shifted by 2,
    /// by 5 (one shared stamp: no term), and a series of 4 steps padded at the start
    /// (both crops start at −2: the 4 real stamps are shared).
    let pairs = [(3, 5), (0, 5), (-2, -2)]
    let lengths = [20, 20, 4]
    let (crop, width) = (6, 2)

    func loss(_ steps: Matrix, gradient: inout Matrix) -> Double {
        TemporalContrast.accumulate(steps: steps, gradient: &gradient, pairs: pairs, lengths: lengths, crop: crop, temperature: 0.5, scale: 1)
    }

    func testGradientMatchesFiniteDifferences() {
        var checker = GradientChecker()
        checker.samples = 2 * 3 * 6 * 2   // every coordinate
        var generator = SeededGenerator(seed: 11)
        let steps = checker.random(6, crop * width, &generator)
        var gradient = Matrix(rows: 6, columns: crop * width)
        _ = loss(steps, gradient: &gradient)
        checker.check("TemporalContrast", at: steps, analytic: gradient) { point in
            var unused = Matrix(rows: 6, columns: 12)
            return self.loss(point, gradient: &unused)
        }
    }

    func testOnlySharedStampsHaveAGradient() {
        var generator = SeededGenerator(seed: 12)
        let steps = GradientChecker().random(6, crop * width, &generator)
        var gradient = Matrix(rows: 6, columns: crop * width)
        let value = loss(steps, gradient: &gradient)
        XCTAssertGreaterThan(value, 0)
        func touched(_ row: Int) -> [Bool] { (0..<crop).map { t in (0..<width).contains { gradient[row, t * width + $0] != 0 } } }
        // Series 0: crop 1 covers stamps 3…8, crop 2 5…10; shared 5…8.
        XCTAssertEqual(touched(0), [false, false, true, true, true, true])
        XCTAssertEqual(touched(3), [true, true, true, true, false, false])
        // Series 1 shares one stamp: nothing.
        XCTAssertEqual(touched(1), Array(repeating: false, count: 6))
        XCTAssertEqual(touched(4), Array(repeating: false, count: 6))
        // Series 2: stamps −2, −1 are padding; 0…3 are shared.
        XCTAssertEqual(touched(2), [false, false, true, true, true, true])
        XCTAssertEqual(touched(5), [false, false, true, true, true, true])
        // Identical views at every shared stamp score lower than unrelated ones.
        var same = steps
        for t in 0..<crop * width { same[3, t] = t + 2 * width < crop * width ? steps[0, t + 2 * width] : 0 }
        var scratch = Matrix(rows: 6, columns: crop * width)
        XCTAssertLessThan(TemporalContrast.accumulate(steps: same, gradient: &scratch, pairs: [pairs[0]] + pairs[1...], lengths: lengths,
                                                      crop: crop, temperature: 0.5, scale: 1), value)
    }

    /// With the temporal term the second crop starts within half a crop of the first, so
    /// they always share at least half a crop; without it, crops are drawn independently.
    func testTemporalCropsOverlap() throws {
        let series = TimeSeries(id: "s", times: (0..<200).map(Double.init), values: (0..<200).map { Float($0) }, channels: 1)
        let collection = SeriesCollection(series: Array(repeating: series, count: 50), channelNames: ["value"], axis: .index, source: "test")
        var config = ContrastiveSeriesConfig()
        config.temporalWeight = 1
        var generator = SeededGenerator(seed: 3)
        let (_, starts) = ContrastiveSeriesPretrainer(config: config).drawViews(collection, Array(0..<50), crop: 20, standardizer: nil, generator: &generator)
        let shifts = (0..<50).map { abs(starts[$0] - starts[50 + $0]) }
        XCTAssertLessThanOrEqual(shifts.max()!, 10)
        XCTAssertGreaterThan(Set(shifts).count, 3, "shifts vary: \(shifts)")
        config.temporalWeight = 0
        let (_, independent) = ContrastiveSeriesPretrainer(config: config).drawViews(collection, Array(0..<50), crop: 20, standardizer: nil, generator: &generator)
        XCTAssertGreaterThan((0..<50).map { abs(independent[$0] - independent[50 + $0]) }.max()!, 10)
    }

    /// Pretraining with the temporal term lowers the held-out loss (instance + λ·temporal)
    /// and is reproducible from its seed; old encoder files (without the setting) read as 0.
    func testPretrainingWithTheTemporalTermLearnsAndIsReproducible() throws {
        let collection = try italyTrainingSeries()
        var config = quickContrastive()
        config.temporalWeight = 1
        let encoder = try pretrainLearnsAndIsReproducible(config, on: collection)
        config.temporalWeight = 0
        let instanceOnly = try ContrastiveSeriesPretrainer(config: config).fit(collection)
        XCTAssertNotEqual(instanceOnly.network.store.values, encoder.network.store.values)

        var json = try JSONSerialization.jsonObject(with: JSONEncoder().encode(config)) as! [String: Any]
        XCTAssertEqual(json["temporal_weight"] as? Double, 0)
        json.removeValue(forKey: "temporal_weight")
        let old = try JSONDecoder().decode(ContrastiveSeriesConfig.self, from: JSONSerialization.data(withJSONObject: json))
        XCTAssertEqual(old, config)
    }
}
