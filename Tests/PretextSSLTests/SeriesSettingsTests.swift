import XCTest
@testable import PretextReport
import PretextData
import PretextTransfer

/// The series commands' shared settings assemble the library's configurations: each
/// field lands where its name says, and bad values are typed errors naming the option.
final class SeriesSettingsTests: XCTestCase {
    func testEveryFieldReachesItsConfiguration() throws {
        var settings = SeriesSettings()
        settings.lookback = 16
        settings.encoderKind = .mlp
        settings.encoderWidth = 12
        settings.pretrainEpochs = 7
        settings.pretrainPatience = 2
        settings.pretrainLearningRate = 3e-3
        settings.pretrainStride = 4
        settings.fineTuneEpochs = 9
        settings.fineTunePatience = 3
        settings.fineTuneLearningRate = 2e-4
        settings.strategy = .linearProbe
        settings.baselineTrials = 5
        settings.threads = 1
        settings.seed = 11

        let nextStep = settings.nextStep
        XCTAssertEqual(nextStep.window, WindowConfig(lookback: 16, horizon: 1, stride: 4))
        XCTAssertEqual(nextStep.training.maximumEpochs, 7)
        XCTAssertEqual(nextStep.training.patience, 2)
        XCTAssertEqual(nextStep.optimizer.learningRate, 3e-3)
        XCTAssertEqual(nextStep.encoder.kind, .mlp)
        XCTAssertEqual(nextStep.encoder.mlp.hiddenWidth, 12)

        let forecast = settings.forecast(horizon: 6)
        XCTAssertEqual(forecast.horizon, 6)
        XCTAssertEqual(forecast.lookback, 16)
        XCTAssertEqual(forecast.strategy, .linearProbe)
        XCTAssertEqual(forecast.training.maximumEpochs, 9)
        XCTAssertEqual(forecast.training.patience, 3)
        XCTAssertEqual(forecast.optimizer.learningRate, 2e-4)

        let classification = try SeriesClassificationComparison.Configuration(settings: settings, budgets: [.fraction(0.5)], repeats: 2,
                                                                              methods: ["1nn", "scratch"])
        XCTAssertEqual(classification.seeds, 2)
        XCTAssertEqual(classification.methods, ["1nn", "scratch"])
        XCTAssertEqual(classification.fineTune.training.maximumEpochs, 9)
        XCTAssertEqual(classification.fineTune.optimizer.learningRate, 2e-4)
        XCTAssertEqual(classification.nextStep, nextStep)
        XCTAssertEqual(classification.trees.trials, 5)
        XCTAssertEqual(classification.trees.threads, 1)

        let forecasting = try ForecastComparison.Configuration(settings: settings, horizon: 6, folds: 2, season: 12, histories: [48, nil],
                                                               repeats: 3)
        XCTAssertEqual(forecasting.forecast, forecast)
        XCTAssertEqual(forecasting.nextStep, nextStep)
        XCTAssertEqual(forecasting.folds, 2)
        XCTAssertEqual(forecasting.methods, ForecastComparison.Configuration().methods, "nil methods keep the defaults")
    }

    func testBadSettingsAndMethodsAreTypedErrors() {
        var settings = SeriesSettings()
        settings.pretrainStride = 0
        XCTAssertThrowsError(try settings.validate()) { XCTAssertTrue("\($0)".contains("--pretrain-stride"), "\($0)") }
        settings = SeriesSettings()
        settings.fineTuneLearningRate = .nan
        XCTAssertThrowsError(try settings.validate()) { XCTAssertTrue("\($0)".contains("--fine-tune-learning-rate"), "\($0)") }
        XCTAssertThrowsError(try ForecastComparison.Configuration(settings: SeriesSettings(), horizon: 1, folds: 1, season: nil,
                                                                  histories: [nil], repeats: 1, methods: ["1nn"])) {
            XCTAssertTrue("\($0)".contains("unknown forecasting method"), "\($0)")
        }
        XCTAssertThrowsError(try SeriesClassificationComparison.Configuration(settings: SeriesSettings(), budgets: [.fraction(1)], repeats: 1,
                                                                              methods: ["naive"])) {
            XCTAssertTrue("\($0)".contains("unknown classification method"), "\($0)")
        }
    }
}
