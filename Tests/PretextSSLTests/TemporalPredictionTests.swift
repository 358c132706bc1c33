import XCTest
import PretextData
import PretextNN
import PretextTestSupport
@testable import PretextSSL

/// TS-TCC's temporal prediction: its gradient (steps and predictor) by finite
/// differences, which steps it reads, its anchors, the permuted view, and pretraining.
final class TemporalPredictionTests: XCTestCase {
    /// Three series, crops of 6 steps, 2-wide step representations, 2 steps ahead: crops
    /// starting at 3 and 5 (shared stamps 5…8), the same crop twice, and a series of 4
    /// steps padded at the start (both crops start at −2).
    let starts = [3, 0, -2, 5, 0, -2]
    let lengths = [20, 20, 4]
    let (crop, width, horizon) = (6, 2, 2)

    func predictor() throws -> Network {
        try Network(architecture: .linear, inputDimensions: width, outputDimensions: horizon * width, seed: 21)
    }

    func loss(_ steps: Matrix, _ predictor: Network, anchors: [Int?] = [5, 1, 0], gradient: inout Matrix, training: Bool = false) -> Double {
        TemporalPrediction.accumulate(steps: steps, gradient: &gradient, predictor: predictor, anchors: anchors, starts: starts,
                                      lengths: lengths, crop: crop, temperature: 0.5, scale: 1, training: training)
    }

    func testGradientMatchesFiniteDifferences() throws {
        var checker = GradientChecker()
        checker.samples = 6 * crop * width   // every coordinate
        var generator = SeededGenerator(seed: 11)
        let steps = checker.random(6, crop * width, &generator)
        let predictor = try predictor()
        var gradient = Matrix(rows: 6, columns: crop * width)
        predictor.store.zeroGradients()
        _ = loss(steps, predictor, gradient: &gradient, training: true)
        checker.check("TemporalPrediction ∂L/∂h", at: steps, analytic: gradient) { point in
            var unused = Matrix(rows: 6, columns: crop * width)
            return self.loss(point, predictor, gradient: &unused)
        }
        // The predictor's parameters, through `training: true`'s accumulated gradients.
        let parameters = Matrix(rows: 1, columns: predictor.store.values.count, values: predictor.store.values)
        let analytic = Matrix(rows: 1, columns: parameters.columns, values: predictor.store.gradients)
        checker.check("TemporalPrediction ∂L/∂θ", at: parameters, analytic: analytic) { point in
            predictor.store.values = point.values
            var unused = Matrix(rows: 6, columns: crop * width)
            return self.loss(steps, predictor, gradient: &unused)
        }
        // Outside training the parameters' gradients are left as they were.
        predictor.store.values = parameters.values
        let before = predictor.store.gradients
        var unused = Matrix(rows: 6, columns: crop * width)
        _ = loss(steps, predictor, gradient: &unused)
        XCTAssertEqual(predictor.store.gradients, before)
    }

    func testOnlyContextsAndTargetsHaveAGradient() throws {
        var generator = SeededGenerator(seed: 12)
        let steps = GradientChecker().random(6, crop * width, &generator)
        var gradient = Matrix(rows: 6, columns: crop * width)
        XCTAssertGreaterThan(loss(steps, try predictor(), anchors: [5, nil, 0], gradient: &gradient), 0)
        func touched(_ row: Int) -> [Bool] { (0..<crop).map { t in (0..<width).contains { gradient[row, t * width + $0] != 0 } } }
        // Series 0, anchor stamp 5: view 1 (from stamp 3) has the context at 2 and targets 6, 7 at 3, 4; view 2 (from 5) at 0 and 1, 2.
        XCTAssertEqual(touched(0), [false, false, true, true, true, false])
        XCTAssertEqual(touched(3), [true, true, true, false, false, false])
        // Series 1 takes no part.
        XCTAssertEqual(touched(1), Array(repeating: false, count: crop))
        XCTAssertEqual(touched(4), Array(repeating: false, count: crop))
        // Series 2, anchor stamp 0 at position 2 (after 2 padded steps), targets 1, 2.
        XCTAssertEqual(touched(2), [false, false, true, true, true, false])
        XCTAssertEqual(touched(5), [false, false, true, true, true, false])
    }

    /// An anchor is a stamp both views have, with K steps ahead in both when the overlap
    /// allows, else at least one; none when the views share fewer than 2 stamps.
    func testAnchorsLeaveTheStepsAheadInBothViews() {
        var generator = SeededGenerator(seed: 13)
        var seen = Set<Int>()
        for _ in 0..<200 {
            // View 1 starts at 3, 0, −2, 0; view 2 at 5, 0, −2, 7.
            let anchors = TemporalPrediction.anchors(starts: [3, 0, -2, 0, 5, 0, -2, 7], lengths: [20, 20, 4, 20], crop: 6, horizon: 2,
                                                     generator: &generator)
            XCTAssertTrue((5...6).contains(anchors[0]!), "\(anchors)")   // shared 5…8: u + 2 ≤ 8
            XCTAssertTrue((0...3).contains(anchors[1]!), "\(anchors)")   // shared 0…5
            XCTAssertTrue((0...1).contains(anchors[2]!), "\(anchors)")   // the 4 real stamps 0…3
            XCTAssertNil(anchors[3])                                       // 0…5 and 7…12 share nothing
            seen.insert(anchors[0]!)
        }
        XCTAssertEqual(seen, [5, 6])
        // An overlap of 2 stamps leaves 1 step ahead, not K: the anchor is its first.
        let short = TemporalPrediction.anchors(starts: [0, 4], lengths: [20], crop: 6, horizon: 3, generator: &generator)
        XCTAssertEqual(short, [4])
    }

    /// The permuted view holds view 1's crop cut into segments and reordered (no
    /// augmentation here, to compare values): padding stays where it was.
    func testThePermutedViewReordersTheObservedStepsOfTheSameCrop() throws {
        let long = TimeSeries(id: "a", times: (0..<40).map(Double.init), values: (0..<40).map { Float($0) }, channels: 1)
        let short = TimeSeries(id: "b", times: (0..<6).map(Double.init), values: (0..<6).map { Float(100 + $0) }, channels: 1)
        let collection = SeriesCollection(series: Array(repeating: long, count: 20) + [short], channelNames: ["value"], axis: .index, source: "test")
        var config = ContrastiveSeriesConfig()
        (config.views, config.jitter, config.scaling, config.maskRate) = (.permuted, 0, 0, 0)
        var generator = SeededGenerator(seed: 14)
        let pretrainer = ContrastiveSeriesPretrainer(config: config)
        let (x, starts) = pretrainer.drawViews(collection, Array(0..<21), crop: 10, standardizer: nil, generator: &generator)
        var reordered = 0
        for series in 0..<21 {
            XCTAssertEqual(starts[series], starts[21 + series])
            let values = { (row: Int) in (0..<10).map { x[row, 2 * $0] } }, observed = { (row: Int) in (0..<10).map { x[row, 2 * $0 + 1] } }
            XCTAssertEqual(observed(series), observed(21 + series))
            XCTAssertEqual(values(series).sorted(), values(21 + series).sorted())
            if values(series) != values(21 + series) { reordered += 1 }
        }
        XCTAssertEqual((0..<10).map { x[41, 2 * $0 + 1] }, [0, 0, 0, 0, 1, 1, 1, 1, 1, 1], "the short series' padding stays first")
        XCTAssertGreaterThan(reordered, 10)
    }

    /// Pretraining with the prediction (on permuted views) lowers the held-out loss and is
    /// reproducible; encoder files written before it read as off.
    func testPretrainingWithThePredictionLearnsAndIsReproducible() throws {
        let collection = try italyTrainingSeries()
        var config = quickContrastive()
        (config.predictionWeight, config.views) = (1, .permuted)
        let encoder = try pretrainLearnsAndIsReproducible(config, on: collection)
        (config.predictionWeight, config.views) = (0, .crops)
        XCTAssertNotEqual(try ContrastiveSeriesPretrainer(config: config).fit(collection).network.store.values, encoder.network.store.values)

        var json = try JSONSerialization.jsonObject(with: JSONEncoder().encode(config)) as! [String: Any]
        XCTAssertEqual(json["prediction_weight"] as? Double, 0)
        for key in ["prediction_weight", "prediction_horizon", "permutation_segments"] { json.removeValue(forKey: key) }
        XCTAssertEqual(try JSONDecoder().decode(ContrastiveSeriesConfig.self, from: JSONSerialization.data(withJSONObject: json)), config)
    }

    func testThePredictionIsRefusedWhereItCannotRun() {
        func refused(_ change: (inout ContrastiveSeriesConfig) -> Void, _ words: String) {
            var config = ContrastiveSeriesConfig()
            change(&config)
            XCTAssertThrowsError(try config.validate(), words) { XCTAssertTrue("\($0)".contains(words), "\($0)") }
        }
        refused({ ($0.predictionWeight, $0.loss) = (1, .mixup) }, "mixup")
        refused({ ($0.predictionWeight, $0.views) = (1, .subseries) }, "subseries")
        refused({ ($0.predictionWeight, $0.encoder.kind) = (1, .mlp) }, "tcn")
        refused({ ($0.temporalWeight, $0.encoder.kind) = (1, .mlp) }, "tcn")      // used to crash on a nil step representation
        refused({ ($0.temporalWeight, $0.views) = (1, .permuted) }, "permuted")
        refused({ $0.predictionHorizon = 0 }, "predictionHorizon")
        refused({ $0.permutationSegments = 1 }, "permutationSegments")
    }

    /// A report's setup names the views and every term that ran.
    func testTheSummaryNamesThePermutedViewAndThePrediction() {
        var config = ContrastiveSeriesConfig()
        XCTAssertTrue(config.summary(series: 28).contains("two random crops of 0.5 × the longest series' steps per series"), config.summary(series: 28))
        XCTAssertFalse(config.summary(series: 28).contains("TS-TCC"))
        (config.views, config.predictionWeight) = (.permuted, 1)
        let summary = config.summary(series: 28)
        XCTAssertTrue(summary.contains("the same crop cut into 1–4 segments in a random order (TS-TCC's strong view)"), summary)
        XCTAssertTrue(summary.contains("TS-TCC's temporal prediction of the other view's next 4 steps with weight 1.0"), summary)
        XCTAssertTrue(summary.hasSuffix("200 optimizer steps (fewer than 100 series are too few for early stopping)."), summary)
    }
}
