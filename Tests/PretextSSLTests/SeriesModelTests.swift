import XCTest
import PretextData
import PretextNN
import PretextSSL
import PretextTransfer
import PretextBaselines
import PretextAuto
import PretextReport

/// Next-step pretraining, forecasting, series classification, baselines and backtests.
final class SeriesModelTests: XCTestCase {
    func airline() throws -> SeriesCollection {
        try SeriesReader(layout: .single(time: "date"), valueColumns: ["passengers"]).series(from: try loadUntargetedTable("airline.csv"))
    }

    func smallEncoder() -> SeriesEncoderConfig {
        var config = SeriesEncoderConfig()
        config.tcn.width = 16
        config.tcn.dilations = [1, 2, 4]
        return config
    }

    func testNextStepPretrainingLowersHeldOutError() throws {
        // The first 600 days of the Chicago file, every signal as its own series (9).
        var chicago = try SeriesReader(layout: .single(time: "date")).series(from: try loadUntargetedTable("chicago_ridership.csv")).prefixes(600)
        chicago = chicago.splittingChannels()
        var config = NextStepConfig()
        config.encoder = smallEncoder()
        config.window = WindowConfig(lookback: 14, horizon: 1, stride: 2)
        config.training.maximumEpochs = 6
        config.seed = 3
        let (encoder, head, validation) = try NextStepPretrainer(config: config).fitWithHead(chicago)
        let epochs = encoder.history.epochs
        XCTAssertGreaterThan(validation.count, 50)
        let best = try XCTUnwrap(epochs.compactMap(\.validationLoss).min())
        XCTAssertLessThan(best, try XCTUnwrap(epochs.first?.validationLoss) * 0.95, "held-out next-step MSE falls with training: \(epochs)")
        // …and beats the naive next step (the last lookback value) on the same held-out windows.
        let x = Matrix(rows: validation.count, columns: validation.inputWidth, values: validation.inputs)
        let predictions = head.predict(encoder.network.predict(x))
        var model = 0.0, naive = 0.0, count = 0.0
        for window in 0..<validation.count where !validation.targets[window].isNaN {
            let target = Double(validation.targets[window])
            let last = Double(validation.inputs[window * validation.inputWidth + (validation.lookback - 1) * 2])
            model += pow(Double(predictions[window, 0]) - target, 2)
            naive += pow(last - target, 2)
            count += 1
        }
        XCTAssertLessThan(model / count, 0.95 * naive / count, "model \(model / count) vs naive \(naive / count)")
    }

    func testBacktestsCannotSeeTheFuture() throws {
        let series = try airline()
        var tampered = series
        // Values after the first origin (144 − 12 − 2·12 = 108) replaced by nonsense.
        for index in (108 * 1)..<144 { tampered.series[0].values[index] = 1e6 }
        let backtest = Backtest(horizon: 12, folds: 3, season: 12)
        let folds = try backtest.folds(of: series), tamperedFolds = try backtest.folds(of: tampered)
        XCTAssertEqual(folds.map { $0.origins }, [[108], [120], [132]])
        var forecast = ForecastConfig()
        forecast.encoder = smallEncoder()
        forecast.training.maximumEpochs = 3
        forecast.epochsWithoutValidation = 3
        var nextStep = NextStepConfig()
        nextStep.encoder = smallEncoder()
        nextStep.training.maximumEpochs = 2
        var trees = GradientBoostedTreesConfig()
        trees.trials = 0
        let forecasters: [Forecaster] = [NaiveForecaster(), SeasonalNaiveForecaster(season: 12), LagTreesForecaster(lookback: 24, trees: trees),
                                         SeriesForecaster(config: forecast)]
        let first = folds[0], firstTampered = tamperedFolds[0]
        XCTAssertEqual(first.history, firstTampered.history, "the first fold's history ends before anything was changed")
        XCTAssertEqual(first.history.series[0].times.last, series.series[0].times[107])
        for forecaster in forecasters {
            let a = try forecaster.forecast(history: first.history, horizon: 12)
            let b = try forecaster.forecast(history: firstTampered.history, horizon: 12)
            XCTAssertEqual(a, b, "\(forecaster.name) must not depend on values after the origin")
            XCTAssertEqual(a[0].times.first, series.series[0].times[108])
        }
        // The later folds do see the tampered values in their history — so they would
        // differ if a forecaster read them: the check above is not vacuous.
        XCTAssertNotEqual(folds[1].history, tamperedFolds[1].history)
    }

    func testBaselinesAndScoresByHand() throws {
        let values: [Float] = [1, 2, 3, 4, 5, 6, 7, 8]
        let history = SeriesCollection(series: [TimeSeries(id: "s", times: (0..<8).map(Double.init), values: values, channels: 1)],
                                       channelNames: ["v"], axis: .index, source: "memory")
        XCTAssertEqual(try SeasonalNaiveForecaster(season: 3).forecast(history: history, horizon: 4)[0].values, [6, 7, 8, 6])
        XCTAssertEqual(try NaiveForecaster().forecast(history: history, horizon: 2)[0].values, [8, 8])
        XCTAssertEqual(try NaiveForecaster().forecast(history: history, horizon: 2)[0].times, [8, 9])
        // MASE: MAE 1.5 over the in-sample seasonal-naive error (season 2: |y_t − y_{t−2}| = 2).
        let scores = try XCTUnwrap(ForecastScores.compute(forecast: [10, 10], actual: [9, 12], history: history.series[0], season: 2))
        XCTAssertEqual(scores.mae, 1.5, accuracy: 1e-9)
        XCTAssertEqual(scores.rmse, (2.5).squareRoot(), accuracy: 1e-9)
        XCTAssertEqual(scores.mase, 0.75, accuracy: 1e-9)
        XCTAssertEqual(scores.smape, (200.0 / 19 + 400.0 / 22) / 2, accuracy: 1e-9)
        XCTAssertEqual(Seasonality.seasonLength(try airline()), 12)
    }

    func testForecastModelSaveLoadRoundTrip() throws {
        let series = try airline()
        var config = ForecastConfig()
        config.encoder = smallEncoder()
        config.epochsWithoutValidation = 20
        config.seed = 5
        let model = try SeriesForecaster(config: config).fit(series)
        let path = NSTemporaryDirectory() + "pretext-forecast-\(UUID().uuidString).safetensors"
        defer { try? FileManager.default.removeItem(atPath: path) }
        try model.save(to: path)
        let loaded = try ForecastModel.load(from: path)
        let original = try model.forecast(series), reloaded = try loaded.forecast(series)
        XCTAssertEqual(original, reloaded)
        XCTAssertEqual(original[0].values.count, 12)
        XCTAssertEqual(series.axis.format(original[0].times[0]), "1961-01")
        // The 1961 forecast is at the airline level (hundreds of thousands of passengers), not normalised.
        XCTAssertTrue(original[0].values.allSatisfy { $0 > 300 && $0 < 800 }, "\(original[0].values)")
    }

    func testSeriesClassifierWithAPretrainedEncoderRoundTripsAndBeatsChance() throws {
        let train = try loadTable("italy_power_demand_train.csv")
        let test = try loadTable("italy_power_demand_test.csv")
        var nextStep = NextStepConfig()
        nextStep.encoder = smallEncoder()
        nextStep.window.lookback = 16
        nextStep.training.maximumEpochs = 5
        let encoder = try NextStepPretrainer(config: nextStep).fit(try SeriesReader(layout: .wide, labelColumn: "target").series(from: train))
        XCTAssertEqual(encoder.lookback, 16)
        var fineTune = FineTuneConfig()
        fineTune.epochsWithoutValidation = 40
        fineTune.training.maximumEpochs = 40
        let model = try SeriesClassifier(fineTune: fineTune, encoder: encoder).fit(train)   // the TCN now reads 24 steps
        XCTAssertTrue(model.pretrained)
        let predictions = try model.predictions(test).predictions
        let truth = (0..<test.rowCount).map { test.target!.text(at: $0) }
        let accuracy = Double(zip(predictions.labels, truth).filter { $0 == $1 }.count) / Double(truth.count)
        XCTAssertGreaterThan(accuracy, 0.8)
        let path = NSTemporaryDirectory() + "pretext-series-classifier-\(UUID().uuidString).safetensors"
        defer { try? FileManager.default.removeItem(atPath: path) }
        try model.save(to: path)
        let loaded = try XCTUnwrap(ModelLoader.loadPredictor(from: path) as? SeriesClassificationModel)
        XCTAssertEqual(try loaded.predictions(test).predictions, predictions)
        // A table without the time-step columns is a schema error, not a crash.
        XCTAssertThrowsError(try loaded.predictions(try loadTable("wine.csv"))) { error in
            guard case .schemaMismatch = error as? DataError else { return XCTFail("\(error)") }
        }
        // An MLP encoder is tied to its lookback: a clear error, not a crash.
        var mlp = nextStep
        mlp.encoder.kind = .mlp
        mlp.training.maximumEpochs = 1
        let mlpEncoder = try NextStepPretrainer(config: mlp).fit(try SeriesReader(layout: .wide, labelColumn: "target").series(from: train))
        XCTAssertThrowsError(try SeriesClassifier(fineTune: fineTune, encoder: mlpEncoder).fit(train)) { error in
            XCTAssertTrue("\(error)".contains("16, the window length this MLP encoder was pretrained on"), "\(error)")
        }
    }
}
