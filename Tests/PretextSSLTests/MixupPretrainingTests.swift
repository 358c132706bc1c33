import XCTest
import PretextData
import PretextNN
import PretextTestSupport
@testable import PretextSSL

/// MCL's mixup loss in contrastive series pretraining (`ContrastiveSeriesConfig.Loss.mixup`;
/// the loss's gradient is checked in `LayerGradientTests.testMixupContrast`): the inputs
/// it mixes, pretraining with it, and its refusals.
final class MixupPretrainingTests: XCTestCase {
    /// Two series, 2 steps, 1 channel (value, observed flag per step): view 1 rows 0–1,
    /// view 2 rows 2–3. Series 0 mixes with series 1's view 2 and series 1 with series 0's.
    func testMixturesMixValuesAndKeepStepsEitherComponentObserved() {
        let views = Matrix(rows: 4, columns: 4, values: [1, 1, 2, 1,
                                                         3, 1, 0, 0,
                                                         5, 1, 6, 1,
                                                         7, 1, 0, 0])
        let x = ContrastiveSeriesPretrainer.mixtures(views, weights: [0.25, 1], channels: 1)
        XCTAssertEqual(x.rows, 6)
        XCTAssertEqual(Array(x.values[0..<8]), [1, 1, 2, 1, 3, 1, 0, 0], "x¹: view 1 of each series")
        XCTAssertEqual(Array(x.values[8..<16]), [7, 1, 0, 0, 5, 1, 6, 1], "x²: view 2 of the next series")
        XCTAssertEqual(Array(x.values[16..<20]), [0.25 * 1 + 0.75 * 7, 1, 0.25 * 2, 1])
        XCTAssertEqual(Array(x.values[20..<24]), [3, 1, 0, 1], "λ = 1 keeps x¹'s values; the step x² observes stays observed")
    }

    /// Pretraining with mixup lowers the held-out loss, is reproducible from its seed and
    /// trains another encoder than InfoNCE does; old files read as InfoNCE.
    func testPretrainingWithMixupLearnsAndIsReproducible() throws {
        let collection = try italyTrainingSeries()
        var config = quickContrastive()
        config.loss = .mixup
        let encoder = try pretrainLearnsAndIsReproducible(config, on: collection)
        config.loss = .infoNCE
        XCTAssertNotEqual(try ContrastiveSeriesPretrainer(config: config).fit(collection).network.store.values, encoder.network.store.values)

        var json = try JSONSerialization.jsonObject(with: JSONEncoder().encode(ContrastiveSeriesConfig())) as! [String: Any]
        XCTAssertEqual(json["loss"] as? String, "infonce")
        json.removeValue(forKey: "loss")
        json.removeValue(forKey: "mixup_alpha")
        XCTAssertEqual(try JSONDecoder().decode(ContrastiveSeriesConfig.self, from: JSONSerialization.data(withJSONObject: json)), ContrastiveSeriesConfig())
    }

    func testMixupIsRefusedWithTheTemporalTermAndABadAlpha() {
        var config = ContrastiveSeriesConfig()
        config.loss = .mixup
        XCTAssertNoThrow(try config.validate())
        config.temporalWeight = 1
        XCTAssertThrowsError(try config.validate()) { XCTAssertTrue("\($0)".contains("loss"), "\($0)") }
        config.temporalWeight = 0
        config.mixupAlpha = 0
        XCTAssertThrowsError(try config.validate()) { XCTAssertTrue("\($0)".contains("mixupAlpha"), "\($0)") }
    }
}
