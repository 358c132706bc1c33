import XCTest
import PretextData
import PretextNN
@testable import PretextSSL
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

    /// The two views of a series are its crops, standardised with the pool's statistics,
    /// then scaled, jittered and masked: with every augmentation off and crops as long as
    /// the series they are exactly its standardised values; with them on, masked steps
    /// are flagged missing and read 0, and the views differ.
    func testContrastiveViewsAreAugmentedCropsOfTheSameSeries() throws {
        let collection = try SeriesColumns(seriesID: "series_id", time: "t").read(try loadTable("basic_motions_train.csv"), labelColumn: "target").series
        let standardizer = SeriesStandardizer(fitting: collection)
        var plain = ContrastiveSeriesConfig()
        (plain.jitter, plain.scaling, plain.maskRate) = (0, 0, 0)
        var generator = SeededGenerator(seed: 1)
        let same = ContrastiveSeriesPretrainer(config: plain).views(collection, [0, 5], crop: 100, standardizer: standardizer, generator: &generator)
        XCTAssertEqual(same.rows, 4)
        XCTAssertEqual(same.columns, 100 * 2 * 6)
        let whole = WindowSet.whole(SeriesCollection(series: [collection.series[0], collection.series[5]], channelNames: collection.channelNames,
                                                     axis: collection.axis, source: ""), length: 100, standardizer: standardizer).inputs
        XCTAssertEqual(Array(same.values[..<(2 * 1200)]), whole)
        XCTAssertEqual(Array(same.values[(2 * 1200)...]), whole)
        // Step 3, channel 2 of series 5 by hand: (x − μ) / σ.
        let expected = (collection.series[5].value(3, 2) - standardizer.location[2]) / standardizer.scale[2]
        XCTAssertEqual(same[1, 3 * 12 + 2], expected, accuracy: 1e-5)

        var augmented = ContrastiveSeriesConfig()
        augmented.maskRate = 0.3
        let views = ContrastiveSeriesPretrainer(config: augmented).views(collection, [0, 5], crop: 50, standardizer: standardizer, generator: &generator)
        XCTAssertEqual(views.columns, 50 * 2 * 6)
        var masked = 0
        for row in 0..<4 {
            for t in 0..<50 {
                let flags = (0..<6).map { views[row, t * 12 + 6 + $0] }
                XCTAssertTrue(flags.allSatisfy { $0 == 0 } || flags.allSatisfy { $0 == 1 }, "a step is masked on every channel or none")
                if flags[0] == 0 { masked += 1; XCTAssertTrue((0..<6).allSatisfy { views[row, t * 12 + $0] == 0 }) }
            }
        }
        XCTAssertTrue((30...90).contains(masked), "about 30% of 200 steps masked: \(masked)")
        XCTAssertNotEqual(Array(views.values[..<600]), Array(views.values[1200..<1800]), "the two views of series 0 differ")
    }

    /// JapaneseVowels' training series (long layout, 12 channels) and a small TCN
    /// pretrained contrastively on them for 8 epochs, seed 4.
    func vowelsContrastive(_ train: Table) throws -> (SeriesColumns, SeriesCollection, ContrastiveSeriesConfig, SeriesEncoder) {
        let columns = SeriesColumns(seriesID: "series_id", time: "t")
        let collection = try columns.read(train, labelColumn: "target").series
        var config = ContrastiveSeriesConfig()
        config.encoder = smallEncoder()
        config.training.maximumEpochs = 8
        config.seed = 4
        return (columns, collection, config, try ContrastiveSeriesPretrainer(config: config).fit(collection))
    }

    /// The same encoder as `vowelsContrastive`'s at its initial weights (crops of 13 steps).
    func untrainedEncoder(_ config: ContrastiveSeriesConfig, _ collection: SeriesCollection) throws -> SeriesEncoder {
        var seeds = SeededGenerator(seed: config.seed, stream: "contrastive-series")
        return SeriesEncoder(network: try Network(architecture: config.encoder.architecture(channels: 12), inputDimensions: 13 * 24,
                                                  outputDimensions: nil, seed: seeds.next()),
                             channelNames: collection.channelNames, lookback: 13, config: NextStepConfig(), history: TrainingHistory())
    }

    /// Below `earlyStoppingSeries` nothing is held out and the encoder trains `steps`
    /// optimizer steps rounded up to whole epochs, whatever the epoch cap; at or above it
    /// a hold-out stops training within the cap. (Coffee: 28 series of 286 steps.)
    func testContrastiveScheduleFollowsTheNumberOfSeries() throws {
        let collection = try SeriesColumns.wide().read(try loadTable("coffee_train.csv"), labelColumn: "target").series
        var config = ContrastiveSeriesConfig()
        config.encoder = smallEncoder()
        config.cropLength = 32
        config.training.batchSize = 8          // 28 series: 4 steps per epoch
        config.training.maximumEpochs = 2
        config.steps = 10
        let fixed = try ContrastiveSeriesPretrainer(config: config).fit(collection)
        XCTAssertEqual(fixed.history.epochs.count, 3, "10 steps of 4 per epoch: 3 epochs, past the cap of 2")
        XCTAssertTrue(fixed.history.epochs.allSatisfy { $0.validationLoss == nil })
        config.earlyStoppingSeries = 28
        let held = try ContrastiveSeriesPretrainer(config: config).fit(collection)
        XCTAssertEqual(held.history.epochs.count, 2)
        XCTAssertTrue(held.history.epochs.allSatisfy { $0.validationLoss != nil })
        XCTAssertThrowsError(try ContrastiveSeriesPretrainer(config: { var c = config; c.steps = 0; return c }()).fit(collection))
    }

    /// Too few labeled series to validate: a series classifier trains
    /// `stepsWithoutValidation` optimizer steps (at most the epoch cap, 1,000 by default);
    /// without it, the tabular rule (`epochsWithoutValidation`, capped).
    func testSeriesClassifierWithoutValidationTrainsSteps() throws {
        let train = try loadTable("coffee_train.csv")
        var fineTune = FineTuneConfig.seriesClassification
        XCTAssertEqual(fineTune.stepsWithoutValidation, 500)
        XCTAssertEqual(fineTune.training.maximumEpochs, 1_000, "room for 500 steps of one batch")
        fineTune.training.batchSize = 8          // 28 series: 4 steps per epoch
        fineTune.stepsWithoutValidation = 10
        let stepped = try SeriesClassifier(fineTune: fineTune, encoderConfig: smallEncoder()).fit(train)
        XCTAssertEqual(stepped.history.epochs.count, 3, "10 steps of 4 per epoch: 3 epochs")
        XCTAssertTrue(stepped.history.epochs.allSatisfy { $0.validationLoss == nil })
        fineTune.training.maximumEpochs = 2
        XCTAssertEqual(try SeriesClassifier(fineTune: fineTune, encoderConfig: smallEncoder()).fit(train).history.epochs.count, 2,
                       "a lower cap is kept")
        fineTune.stepsWithoutValidation = nil
        fineTune.epochsWithoutValidation = 5
        XCTAssertEqual(try SeriesClassifier(fineTune: fineTune, encoderConfig: smallEncoder()).fit(train).history.epochs.count, 2, "capped")
        fineTune.stepsWithoutValidation = 0
        XCTAssertThrowsError(try SeriesClassifier(fineTune: fineTune, encoderConfig: smallEncoder()).fit(train))
    }

    /// Contrastive pretraining lowers the held-out InfoNCE below chance (log of the
    /// held-out count), is reproducible from its seed, and the encoder file keeps its
    /// objective; a classifier fine-tuned from it reads the long-layout series.
    func testContrastivePretrainingLearnsAndIsReproducible() throws {
        let train = try loadTable("japanese_vowels_train.csv")
        let (columns, collection, config, encoder) = try vowelsContrastive(train)
        XCTAssertEqual(encoder.lookback, 13, "half the longest series (26)")
        let losses = encoder.history.epochs.compactMap(\.validationLoss)
        XCTAssertEqual(losses.count, 8)
        XCTAssertLessThan(try XCTUnwrap(losses.min()), log(27) * 0.8, "27 held-out series: chance is log 27; \(losses)")
        XCTAssertLessThan(try XCTUnwrap(losses.min()), losses[0])
        let again = try ContrastiveSeriesPretrainer(config: config).fit(collection)
        XCTAssertEqual(again.network.store.values, encoder.network.store.values)

        let path = NSTemporaryDirectory() + "pretext-contrastive-\(UUID().uuidString).safetensors"
        defer { try? FileManager.default.removeItem(atPath: path) }
        try encoder.save(to: path)
        let loaded = try SeriesEncoder.load(from: path)
        XCTAssertEqual(loaded.objective, .contrastive(config))
        XCTAssertEqual(loaded.network.store.values, encoder.network.store.values)

        // With 54 labeled series (6 per speaker) a linear probe on it beats the same probe on
        // the same encoder untrained: 0.862 against 0.776. (The probe reads standardised
        // features, `ProbeStandardization`, and starts at the class prior, so the untrained
        // TCN is a random-feature model, strong with every label: on all 270 series the two
        // were level, 0.892 against 0.897.)
        var fineTune = FineTuneConfig()
        fineTune.strategy = .linearProbe
        fineTune.training.maximumEpochs = 60
        let test = try loadTable("japanese_vowels_test.csv")
        let truth = try columns.read(test, labelColumn: "target").series.series.map(\.label!)
        func probeAccuracy(_ encoder: SeriesEncoder) throws -> Double {
            let model = try SeriesClassifier(fineTune: fineTune, encoder: encoder).fit(train, columns: columns, rows: Array(stride(from: 0, to: 270, by: 5)))
            XCTAssertEqual(model.standardizer, SeriesStandardizer(fitting: collection))
            let predicted = try model.predictions(test).predictions.labels
            return Double(zip(predicted, truth).filter { $0 == $1 }.count) / Double(truth.count)
        }
        let untrained = try untrainedEncoder(config, collection)
        let (pretrained, random) = (try probeAccuracy(loaded), try probeAccuracy(untrained))
        XCTAssertGreaterThan(pretrained, random + 0.02, "pretrained \(pretrained), untrained \(random)")
    }

    /// The ridge on a frozen contrastive encoder: the encoder's weights are not changed,
    /// the classifier beats the same ridge on the same encoder untrained, and its file
    /// (encoder, standardiser, ridge) predicts exactly the same after loading; a table
    /// with other channels is a typed error.
    func testRidgeOnAFrozenPretrainedEncoder() throws {
        let train = try loadTable("japanese_vowels_train.csv"), test = try loadTable("japanese_vowels_test.csv")
        let (columns, collection, config, encoder) = try vowelsContrastive(train)
        let weights = encoder.network.store.values
        let truth = try columns.read(test, labelColumn: "target").series.series.map(\.label!)
        let rows = Array(stride(from: 0, to: 270, by: 5))   // 54 labeled series, 6 per speaker
        func accuracy(_ model: TabularPredictor) throws -> Double {
            let predicted = try model.predictions(test).predictions.labels
            return Double(zip(predicted, truth).filter { $0 == $1 }.count) / Double(truth.count)
        }
        let model = try EncoderRidgeClassifier().fit(train, columns: columns, rows: rows, pretrained: encoder)
        XCTAssertEqual(encoder.network.store.values, weights, "the pretrained encoder is frozen")
        XCTAssertEqual(model.idColumns, ["series_id"])
        let untrained = try untrainedEncoder(config, collection)
        let (pretrained, random) = (try accuracy(model), try accuracy(try EncoderRidgeClassifier().fit(train, columns: columns, rows: rows, pretrained: untrained)))
        XCTAssertGreaterThan(pretrained, random + 0.03, "pretrained \(pretrained), untrained \(random)")
        XCTAssertGreaterThan(pretrained, 0.7, "9 speakers: chance is 0.11")

        let path = NSTemporaryDirectory() + "pretext-encoder-ridge-\(UUID().uuidString).safetensors"
        defer { try? FileManager.default.removeItem(atPath: path) }
        try model.save(to: path)
        let loaded = try XCTUnwrap(ModelLoader.loadPredictor(from: path) as? EncoderRidgeClassifier)
        XCTAssertEqual(try loaded.predictions(test).predictions, try model.predictions(test).predictions)
        XCTAssertEqual(loaded.standardizer, SeriesStandardizer(fitting: collection))
        let oneChannel = try loadTable("italy_power_demand_train.csv")
        XCTAssertThrowsError(try EncoderRidgeClassifier().fit(oneChannel, columns: .wide(), pretrained: encoder)) { error in
            guard case .channelMismatch = error as? SeriesError else { return XCTFail("\(error)") }
        }

        // On the step representations: steps × width features, the same frozen encoder, a
        // file that keeps the choice.
        let steps = try EncoderRidgeClassifier(features: .steps).fit(train, columns: columns, rows: rows, pretrained: encoder)
        let width = try XCTUnwrap(encoder.stepRepresentations(collection, length: 1)).columns
        XCTAssertEqual(steps.ridge?.features, steps.length * width)
        XCTAssertGreaterThan(try XCTUnwrap(steps.ridge?.features), model.ridge!.features)
        XCTAssertGreaterThan(try accuracy(steps), 0.5, "9 speakers: chance is 0.11")
        try steps.save(to: path)
        let reloaded = try XCTUnwrap(ModelLoader.loadPredictor(from: path) as? EncoderRidgeClassifier)
        XCTAssertEqual(reloaded.features, .steps)
        XCTAssertEqual(try reloaded.predictions(test).predictions, try steps.predictions(test).predictions)

        // Max-pooled over the observed steps: one value per feature, kept by the file.
        let maximum = try EncoderRidgeClassifier(features: .max).fit(train, columns: columns, rows: rows, pretrained: encoder)
        XCTAssertEqual(maximum.ridge?.features, width)
        XCTAssertGreaterThan(try accuracy(maximum), 0.5, "9 speakers: chance is 0.11")
        try maximum.save(to: path)
        let reloadedMaximum = try XCTUnwrap(ModelLoader.loadPredictor(from: path) as? EncoderRidgeClassifier)
        XCTAssertEqual(reloadedMaximum.features, .max)
        XCTAssertEqual(try reloadedMaximum.predictions(test).predictions, try maximum.predictions(test).predictions)
    }

    /// `auto` scores every candidate on the same folds of the budget series, keeps the
    /// best mean accuracy, refits it on the whole budget and saves a file `predict`
    /// serves; with a class of one labeled series it says nothing could be validated.
    func testSeriesAutoChoosesTheBestCrossValidatedCandidate() throws {
        let train = try loadTable("italy_power_demand_train.csv"), test = try loadTable("italy_power_demand_test.csv")
        var config = SeriesAutoConfig()
        config.encoder = smallEncoder()
        config.contrastive.training.maximumEpochs = 3
        config.contrastive.steps = 3
        config.nextStep.training.maximumEpochs = 2
        config.nextStep.window.lookback = 12
        config.fineTune.training.maximumEpochs = 10
        config.fineTune.epochsWithoutValidation = 10
        config.minirocket.features = 840
        (config.folds, config.repeats) = (3, 1)
        var lines: [String] = []
        let rows = Array(0..<20)
        var classifier = SeriesAutoClassifier(config: config, log: { lines.append($0) })
        classifier.progressInterval = 0   // a progress line after every fit but the last
        let choice = try classifier.fit(train, columns: .wide(), rows: rows)
        XCTAssertEqual(choice.scores.map(\.candidate), SeriesAutoConfig.Candidate.allCases)
        let best = choice.scores.map(\.accuracy).max()!
        XCTAssertEqual(choice.scores.first { $0.candidate == choice.chosen }?.accuracy, best)
        XCTAssertTrue(choice.scores.allSatisfy { (0...1).contains($0.accuracy) && $0.logLoss >= 0 })
        XCTAssertTrue(choice.validation.contains("3-fold") && choice.validation.contains("20 labeled series"), choice.validation)
        XCTAssertEqual(lines.filter { $0.contains("cross-validated accuracy") }.count, SeriesAutoConfig.Candidate.allCases.count, "\(lines)")
        let fits = SeriesAutoConfig.Candidate.allCases.count * 3
        let progressLines = lines.filter { $0.hasPrefix("auto: cross-validation fit ") }
        XCTAssertEqual(progressLines.map { String($0.split(separator: " ")[3]) }, (1..<fits).map { "\($0)/\(fits)" }, "\(lines)")
        // No time for the whole rest until the last candidate has run a fit (the others' pace is unknown).
        let lastCandidateStart = fits - 3
        for (index, line) in progressLines.enumerated() {
            XCTAssertEqual(line.hasSuffix(" to go"), index + 1 > lastCandidateStart, line)
            XCTAssertEqual(line.contains("not yet timed"), index + 1 <= lastCandidateStart, line)
        }
        let path = NSTemporaryDirectory() + "pretext-series-auto-\(UUID().uuidString).safetensors"
        defer { try? FileManager.default.removeItem(atPath: path) }
        try choice.save(to: path)
        XCTAssertEqual(try ModelLoader.loadPredictor(from: path).predictions(test).predictions.labels,
                       try choice.model.predictions(test).predictions.labels)

        let classes = (0..<train.rowCount).map { train.target!.text(at: $0) }
        let lonely = [classes.firstIndex(of: "1")!] + Array((0..<train.rowCount).filter { classes[$0] == "2" }.prefix(5))
        let fallback = try SeriesAutoClassifier(config: config).fit(train, columns: .wide(), rows: lonely)
        XCTAssertEqual(fallback.chosen, .minirocket)
        XCTAssertTrue(fallback.scores.isEmpty)
        XCTAssertTrue(fallback.validation.hasPrefix("none: some class has a single labeled series"), fallback.validation)
    }
}
