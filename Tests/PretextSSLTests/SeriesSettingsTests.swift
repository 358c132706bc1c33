import XCTest
@testable import PretextReport
import PretextData
import PretextTransfer
import PretextSSL

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
        XCTAssertEqual(classification.contrastive, settings.contrastive)
        XCTAssertEqual(settings.contrastive.training.maximumEpochs, 7)
        XCTAssertEqual(settings.contrastive.training.patience, 2)
        XCTAssertEqual(settings.contrastive.optimizer.learningRate, 3e-3)
        XCTAssertEqual(settings.contrastive.encoder, nextStep.encoder)
        XCTAssertEqual(settings.contrastive.seed, 11)
        XCTAssertEqual(classification.trees.trials, 5)
        XCTAssertEqual(classification.trees.threads, 1)

        let forecasting = try ForecastComparison.Configuration(settings: settings, horizon: 6, folds: 2, season: 12, histories: [48, nil],
                                                               repeats: 3)
        XCTAssertEqual(forecasting.forecast, forecast)
        XCTAssertEqual(forecasting.nextStep, nextStep)
        XCTAssertEqual(forecasting.folds, 2)
        XCTAssertEqual(forecasting.methods, ForecastComparison.Configuration().methods, "nil methods keep the defaults")

        // Without a patience or batch size each objective keeps its own default.
        settings.pretrainPatience = nil
        XCTAssertEqual(settings.nextStep.training.patience, NextStepConfig().training.patience)
        XCTAssertEqual(settings.contrastive.training.patience, ContrastiveSeriesConfig().training.patience)
        XCTAssertEqual(settings.nextStep.training.batchSize, 256)
        XCTAssertEqual(settings.contrastive.training.batchSize, 128)
        (settings.pretrainBatchSize, settings.pretrainSteps, settings.cropFraction) = (16, 40, 0.75)
        XCTAssertEqual(settings.nextStep.training.batchSize, 16)
        XCTAssertEqual(settings.contrastive.training.batchSize, 16)
        XCTAssertEqual(settings.contrastive.steps, 40)
        XCTAssertEqual(settings.contrastive.cropFraction, 0.75)
        XCTAssertEqual(settings.contrastive.crop(longest: 24), 18)
        settings.cropFraction = 1.5
        XCTAssertThrowsError(try settings.validate())
        settings.cropFraction = 0.5
        XCTAssertEqual(settings.contrastive.temperature, ContrastiveSeriesConfig().temperature)
        XCTAssertEqual(settings.contrastive.earlyStoppingSeries, ContrastiveSeriesConfig().earlyStoppingSeries)
        (settings.temperature, settings.earlyStoppingSeries) = (0.2, 1_000)
        XCTAssertEqual(settings.contrastive.temperature, 0.2)
        XCTAssertEqual(settings.contrastive.earlyStoppingSeries, 1_000)
        settings.temperature = 0
        XCTAssertThrowsError(try settings.validate()) { XCTAssertTrue("\($0)".contains("--temperature"), "\($0)") }
        (settings.temperature, settings.earlyStoppingSeries) = (0.5, 1)
        XCTAssertThrowsError(try settings.validate()) { XCTAssertTrue("\($0)".contains("--early-stopping-series"), "\($0)") }
        settings.earlyStoppingSeries = 100
        (settings.jitter, settings.scaling, settings.maskRate) = (0.3, 0.2, 0.25)
        XCTAssertEqual([settings.contrastive.jitter, settings.contrastive.scaling], [0.3, 0.2])
        XCTAssertEqual(settings.contrastive.maskRate, 0.25)
        settings.maskRate = 1
        XCTAssertThrowsError(try settings.validate()) { XCTAssertTrue("\($0)".contains("--mask-rate"), "\($0)") }
        (settings.maskRate, settings.jitter) = (0.1, -1)
        XCTAssertThrowsError(try settings.validate()) { XCTAssertTrue("\($0)".contains("--jitter"), "\($0)") }
        settings.jitter = 0.1
        XCTAssertEqual(settings.contrastive.views, .crops)
        settings.views = .subseries
        XCTAssertEqual(settings.contrastive.views, .subseries)
        settings.temporalWeight = 1
        XCTAssertThrowsError(try settings.validate()) { XCTAssertTrue("\($0)".contains("--views"), "\($0)") }
        settings.views = .crops
        settings.contrastiveLoss = .mixup
        XCTAssertEqual(settings.contrastive.loss, .mixup)
        XCTAssertThrowsError(try settings.validate()) { XCTAssertTrue("\($0)".contains("--contrastive-loss"), "\($0)") }

        // Series classifiers without validation train --fine-tune-steps optimizer steps.
        settings = SeriesSettings()
        XCTAssertEqual(settings.fineTune.stepsWithoutValidation, 500)
        XCTAssertEqual(SeriesClassificationComparison.Configuration().fineTune, settings.fineTune, "the library's default is the CLI's")
        XCTAssertEqual(settings.fineTune.training.maximumEpochs, 1_000)
        XCTAssertEqual(settings.forecast(horizon: 3).training.maximumEpochs, 200, "forecasters keep their own cap")
        settings.fineTuneSteps = 70
        settings.fineTuneEpochs = 30
        XCTAssertEqual(settings.fineTune.stepsWithoutValidation, 70)
        XCTAssertEqual(settings.fineTune.training.maximumEpochs, 30)
        settings.fineTuneSteps = 0
        XCTAssertThrowsError(try settings.validate()) { XCTAssertTrue("\($0)".contains("--fine-tune-steps"), "\($0)") }
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

/// The forecasting comparison's season is detected without look-ahead: on each series cut
/// at the earliest backtest origin.
final class SeasonWithoutLookAheadTests: XCTestCase {
    func testSeasonIsDetectedOnTheHistoryBeforeTheFirstOrigin() throws {
        // 120 steps: a trend with noise for the first 84, then a strong cycle of 6 in the
        // 36 steps the three 12-step folds forecast.
        var generator = SeededGenerator(seed: 2)
        let values: [Float] = (0..<120).map { t in
            t < 84 ? Float(t) * 0.1 + Float(generator.nextNormal()) : (t % 6 < 3 ? 20 : -20)
        }
        let series = TimeSeries(id: "s", times: (0..<120).map(Double.init), values: values, channels: 1)
        let collection = SeriesCollection(series: [series], channelNames: ["value"], axis: TimeAxis(unit: .index, step: 1), source: "synthetic")
        XCTAssertEqual(Seasonality.seasonLength(collection), 6, "the whole series shows the cycle")
        var config = ForecastComparison.Configuration()
        config.horizon = 12
        config.folds = 3
        let season = try ForecastComparison.season(collection, config: config)
        XCTAssertEqual(season, Seasonality.seasonLength(collection.prefixes(84)))
        XCTAssertNotEqual(season, 6, "the cycle after the first origin must not choose the season")
        config.season = 4
        XCTAssertEqual(try ForecastComparison.season(collection, config: config), 4, "a given season is kept")
    }
}
