import Foundation
import XCTest

/// `pretext series …` end to end on the bundled series, with small settings.
final class SeriesCommandTests: XCTestCase {
    var folder: URL!

    override func setUpWithError() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("pretext-series-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: folder) }

    func path(_ name: String) -> String { folder.appendingPathComponent(name).path }

    func write(_ name: String, _ text: String) -> String {
        FileManager.default.createFile(atPath: path(name), contents: Data(text.utf8))
        return path(name)
    }

    func testForecastWritesOneRowPerFutureStepWithTimeStamps() throws {
        for method in ["neural", "seasonal-naive", "naive", "theta", "xgboost-lags"] {
            let result = try runPretext(["series", "forecast", "datasets/airline.csv", "--time", "date", "--value", "passengers", "--horizon", "12",
                                         "--method", method, "--fine-tune-epochs", "5", "--encoder-width", "8", "--baseline-trials", "0", "--quiet", "-o", path("\(method).csv")])
            XCTAssertEqual(result.status, 0, "\(method): \(result.standardError)")
            let lines = try String(contentsOfFile: path("\(method).csv"), encoding: .utf8).split(separator: "\n")
            XCTAssertEqual(lines.count, 13, method)
            XCTAssertEqual(lines[0], "series_id,time,step,passengers")
            XCTAssertTrue(lines[1].hasPrefix("airline.csv,1961-01,1,"), String(lines[1]))
            XCTAssertTrue(lines[12].hasPrefix("airline.csv,1961-12,12,"), String(lines[12]))
        }
        // Seasonal naive repeats 1960 exactly.
        let seasonal = try String(contentsOfFile: path("seasonal-naive.csv"), encoding: .utf8)
        XCTAssertTrue(seasonal.contains("airline.csv,1961-01,1,417.0\n"), seasonal)
    }

    /// `series classify --method minirocket` → `predict`: the whole Coffee test split right,
    /// as published for MiniRocket.
    func testMiniRocketClassifyThenPredict() throws {
        let fit = try runPretext(["series", "classify", "datasets/coffee_train.csv", "--target", "target", "--method", "minirocket",
                                  "-o", path("coffee.safetensors")])
        XCTAssertEqual(fit.status, 0, fit.standardError)
        XCTAssertTrue(fit.standardError.contains("trained MiniRocket + ridge on 28 labeled series"), fit.standardError)
        let predict = try runPretext(["predict", path("coffee.safetensors"), "datasets/coffee_test.csv", "-o", path("coffee.csv")])
        XCTAssertEqual(predict.status, 0, predict.standardError)
        let predictions = try String(contentsOfFile: path("coffee.csv"), encoding: .utf8).split(separator: "\n").dropFirst()
            .map { String($0.split(separator: ",")[0]) }
        let truth = try String(contentsOfFile: "\(repositoryRoot.path)/datasets/coffee_test.csv", encoding: .utf8).split(separator: "\n").dropFirst()
            .map { String($0.split(separator: ",").last!) }
        XCTAssertEqual(predictions.count, 28)
        XCTAssertEqual(predictions, truth)
    }

    /// Long layout (multivariate, unequal lengths): `series classify --series-id --time`
    /// with MiniRocket and with the TCN, then `predict` writes one row per test series,
    /// named by its id; `series compare` runs on the same files without XGBoost.
    func testLongLayoutClassifyPredictAndCompare() throws {
        let train = "datasets/japanese_vowels_train.csv", test = "datasets/japanese_vowels_test.csv"
        let layout = ["--series-id", "series_id", "--time", "t", "--target", "target"]
        for method in ["minirocket", "neural"] {
            let fit = try runPretext(["series", "classify", train] + layout + ["--method", method, "--fine-tune-epochs", "3",
                                      "--encoder-width", "8", "--quiet", "-o", path("\(method).safetensors")])
            XCTAssertEqual(fit.status, 0, fit.standardError)
            XCTAssertTrue(fit.standardError.contains("on 270 labeled series"), fit.standardError)
            let predict = try runPretext(["predict", path("\(method).safetensors"), test, "-o", path("\(method).csv")])
            XCTAssertEqual(predict.status, 0, predict.standardError)
            XCTAssertTrue(predict.standardError.contains("wrote 370 predictions"), predict.standardError)
            let lines = try String(contentsOfFile: path("\(method).csv"), encoding: .utf8).split(separator: "\n")
            XCTAssertEqual(lines.count, 371)
            XCTAssertTrue(lines[0].hasPrefix("series_id,prediction,probability_1,"), String(lines[0]))
            XCTAssertTrue(lines[1].hasPrefix("0,") && lines[370].hasPrefix("369,"), "\(lines[1]) … \(lines[370])")
        }
        let xgboost = try runPretext(["series", "classify", train] + layout + ["--method", "xgboost", "-o", path("x.safetensors")])
        XCTAssertEqual(xgboost.status, 64, xgboost.standardError)
        XCTAssertTrue(xgboost.standardError.contains("wide files"), xgboost.standardError)

        let compare = try runPretext(["series", "compare", train, "--test", test] + layout + ["--methods", "1nn,minirocket", "--repeats", "1",
                                      "--labels", "100%", "--quiet", "-o", path("report")])
        XCTAssertEqual(compare.status, 0, compare.standardError)
        let report = try String(contentsOfFile: path("report/report.md"), encoding: .utf8)
        XCTAssertTrue(report.contains("270 training series, lengths 7–26, 12 channels"), report)
        XCTAssertTrue(report.contains("370 series, lengths 7–29"), report)
        XCTAssertFalse(report.contains("XGBoost"), report)
    }

    /// `series pretrain --objective contrastive` writes an encoder `series classify
    /// --encoder` fine-tunes; `--method auto` reports every candidate's cross-validated
    /// accuracy, names its choice and saves a model `predict` serves.
    func testContrastivePretrainAndAutoClassify() throws {
        let pretrain = try runPretext(["series", "pretrain", "datasets/italy_power_demand_train.csv", "--wide", "--target", "target",
                                       "--objective", "contrastive", "--pretrain-steps", "3", "--encoder-width", "8", "--quiet",
                                       "-o", path("encoder.safetensors")])
        XCTAssertEqual(pretrain.status, 0, pretrain.standardError)
        // 67 series are too few to hold out for early stopping: 3 steps of all 67 series, 3 epochs.
        XCTAssertTrue(pretrain.standardError.contains("pretrained (contrastive) on 67 series for 3 epochs (3 optimizer steps: fewer than 100 series"),
                      pretrain.standardError)
        let fit = try runPretext(["series", "classify", "datasets/italy_power_demand_train.csv", "--target", "target", "--encoder",
                                  path("encoder.safetensors"), "--strategy", "linear-probe", "--fine-tune-epochs", "5", "--encoder-width", "8",
                                  "--quiet", "-o", path("probe.safetensors")])
        XCTAssertEqual(fit.status, 0, fit.standardError)
        let ridge = try runPretext(["series", "classify", "datasets/italy_power_demand_train.csv", "--target", "target", "--encoder",
                                    path("encoder.safetensors"), "--method", "encoder-ridge", "-o", path("ridge.safetensors")])
        XCTAssertEqual(ridge.status, 0, ridge.standardError)
        XCTAssertTrue(ridge.standardError.contains("trained a ridge classifier on the frozen pretrained encoder's features on 67 labeled series"), ridge.standardError)
        let stepsRidge = try runPretext(["series", "classify", "datasets/italy_power_demand_train.csv", "--target", "target", "--encoder",
                                         path("encoder.safetensors"), "--method", "encoder-ridge", "--ridge-features", "steps", "-o", path("steps.safetensors")])
        XCTAssertEqual(stepsRidge.status, 0, stepsRidge.standardError)
        XCTAssertTrue(stepsRidge.standardError.contains("frozen pretrained encoder's step features on 67 labeled series"), stepsRidge.standardError)
        let stepsServed = try runPretext(["predict", path("steps.safetensors"), "datasets/italy_power_demand_test.csv", "-o", path("steps.csv")])
        XCTAssertTrue(stepsServed.standardError.contains("wrote 1029 predictions"), stepsServed.standardError)
        let misplaced = try runPretext(["series", "classify", "datasets/italy_power_demand_train.csv", "--target", "target", "--method", "minirocket",
                                        "--ridge-features", "steps", "-o", path("x.safetensors")])
        XCTAssertNotEqual(misplaced.status, 0)
        XCTAssertTrue(misplaced.standardError.contains("--ridge-features is read by --method encoder-ridge"), misplaced.standardError)
        let served = try runPretext(["predict", path("ridge.safetensors"), "datasets/italy_power_demand_test.csv", "-o", path("ridge.csv")])
        XCTAssertEqual(served.status, 0, served.standardError)
        XCTAssertTrue(served.standardError.contains("wrote 1029 predictions"), served.standardError)
        for (arguments, message) in [(["--method", "encoder-ridge"], "--method encoder-ridge needs --encoder"),
                                     (["--method", "minirocket", "--encoder", path("encoder.safetensors")], "--method minirocket does not use it")] {
            let refused = try runPretext(["series", "classify", "datasets/italy_power_demand_train.csv", "--target", "target", "-o", path("x.safetensors")] + arguments)
            XCTAssertNotEqual(refused.status, 0, refused.standardError)
            XCTAssertTrue(refused.standardError.contains(message), refused.standardError)
        }
        let auto = try runPretext(["series", "classify", "datasets/italy_power_demand_train.csv", "--target", "target", "--method", "auto",
                                   "--labels", "12", "--pretrain-epochs", "2", "--fine-tune-epochs", "5", "--encoder-width", "8",
                                   "-o", path("auto.safetensors")])
        XCTAssertEqual(auto.status, 0, auto.standardError)
        for candidate in ["minirocket", "scratch", "contrastive-linear-probe", "contrastive-ridge", "contrastive-ridge-steps", "contrastive-full", "next-step-full"] {
            XCTAssertTrue(auto.standardError.contains("auto: \(candidate): cross-validated accuracy"), auto.standardError)
        }
        XCTAssertTrue(auto.standardError.contains("auto chose "), auto.standardError)
        XCTAssertTrue(auto.standardError.contains("on 12 labeled series"), auto.standardError)
        let predict = try runPretext(["predict", path("auto.safetensors"), "datasets/italy_power_demand_test.csv", "-o", path("auto.csv")])
        XCTAssertEqual(predict.status, 0, predict.standardError)
        XCTAssertTrue(predict.standardError.contains("wrote 1029 predictions"), predict.standardError)
    }

    /// Series regression (a continuous number per series) is refused with a clear error
    /// by every classifier and by `series compare`, never trained as hundreds of classes.
    func testAContinuousTargetIsRefusedClearly() throws {
        var text = "t0,t1,t2,t3,t4,t5,t6,t7,t8,t9,target\n"
        for row in 0..<40 { text += (0..<10).map { String(format: "%.3f", sin(Double(row + $0) * 0.7)) }.joined(separator: ",") + ",\(Double(row) * 1.37 + 0.21)\n" }
        let data = write("regression.csv", text)
        for method in ["neural", "minirocket", "auto"] {
            let result = try runPretext(["series", "classify", data, "--target", "target", "--method", method, "--fine-tune-epochs", "2", "--quiet",
                                         "-o", path("r.safetensors")])
            XCTAssertEqual(result.status, 1, "\(method): \(result.standardError)")
            XCTAssertTrue(result.standardError.contains("looks continuous"), "\(method): \(result.standardError)")
            XCTAssertFalse(FileManager.default.fileExists(atPath: path("r.safetensors")))
        }
        let compare = try runPretext(["series", "compare", data, "--test", data, "--target", "target", "--methods", "1nn", "--quiet", "-o", path("report")])
        XCTAssertEqual(compare.status, 1, compare.standardError)
        XCTAssertTrue(compare.standardError.contains("continuous"), compare.standardError)
    }

    /// MiniRocket as a fixed feature extractor: `pretext embed` on a MiniRocket model
    /// writes its 9,996 features per series (one row per series id), a table any other
    /// model — SCARF included — can learn from.
    func testEmbedWritesMiniRocketFeaturesPerSeries() throws {
        let fit = try runPretext(["series", "classify", "datasets/basic_motions_train.csv", "--series-id", "series_id", "--time", "t",
                                  "--target", "target", "--method", "minirocket", "-o", path("motions.safetensors")])
        XCTAssertEqual(fit.status, 0, fit.standardError)
        let embed = try runPretext(["embed", path("motions.safetensors"), "datasets/basic_motions_test.csv", "-o", path("features.csv")])
        XCTAssertEqual(embed.status, 0, embed.standardError)
        XCTAssertTrue(embed.standardError.contains("wrote 40 × 9996 embeddings"), embed.standardError)
        let lines = try String(contentsOfFile: path("features.csv"), encoding: .utf8).split(separator: "\n")
        XCTAssertEqual(lines.count, 41)
        let header = lines[0].split(separator: ",")
        XCTAssertEqual(header.count, 9997)
        XCTAssertEqual(header.first, "series_id")
        let first = lines[1].split(separator: ",").dropFirst().compactMap { Double($0) }
        XCTAssertEqual(first.count, 9996)
        XCTAssertTrue(first.allSatisfy { (0...1).contains($0) }, "PPV features are proportions")
    }

    func testClassifyThenPredictServesTheSeriesModel() throws {
        let fit = try runPretext(["series", "classify", "datasets/italy_power_demand_train.csv", "--target", "target", "--fine-tune-epochs", "20",
                                  "--encoder-width", "8", "--labels", "50%", "--quiet", "-o", path("model.safetensors")])
        XCTAssertEqual(fit.status, 0, fit.standardError)
        XCTAssertTrue(fit.standardError.contains("on 34 labeled series"), fit.standardError)
        let predict = try runPretext(["predict", path("model.safetensors"), "datasets/italy_power_demand_test.csv", "-o", path("predictions.csv")])
        XCTAssertEqual(predict.status, 0, predict.standardError)
        let lines = try String(contentsOfFile: path("predictions.csv"), encoding: .utf8).split(separator: "\n")
        XCTAssertEqual(lines.count, 1030)
        XCTAssertEqual(lines[0], "prediction,probability_1,probability_2")
        // A table without the model's time-step columns: a typed error naming them, no output.
        let wrong = try runPretext(["predict", path("model.safetensors"), "datasets/wine.csv", "-o", path("wrong.csv")])
        XCTAssertEqual(wrong.status, 1)
        XCTAssertTrue(wrong.standardError.contains("t0"), wrong.standardError)
        XCTAssertFalse(FileManager.default.fileExists(atPath: path("wrong.csv")))
    }

    func testPretrainThenForecastWithTheEncoder() throws {
        let pretrain = try runPretext(["series", "pretrain", "datasets/chicago_ridership.csv", "--time", "date", "--channels-as-series",
                                       "--value", "ridership", "--value", "temp", "--lookback", "24", "--pretrain-stride", "7", "--pretrain-epochs", "2",
                                       "--encoder-width", "8", "-o", path("encoder.safetensors")])
        XCTAssertEqual(pretrain.status, 0, pretrain.standardError)
        XCTAssertTrue(pretrain.standardError.contains("series: 2 series, 1 channel (value), daily"), pretrain.standardError)
        XCTAssertTrue(pretrain.standardError.contains("pretrain epoch 2/2"), pretrain.standardError)
        let forecast = try runPretext(["series", "forecast", "datasets/airline.csv", "--time", "date", "--value", "passengers", "--horizon", "6",
                                       "--encoder", path("encoder.safetensors"), "--strategy", "freeze-then-unfreeze", "--fine-tune-epochs", "4", "--encoder-width", "8",
                                       "--save-model", path("forecaster.safetensors"), "--quiet", "-o", path("forecast.csv")])
        XCTAssertEqual(forecast.status, 0, forecast.standardError)
        XCTAssertTrue(forecast.standardError.contains("from the pretrained encoder (freeze-then-unfreeze)"), forecast.standardError)
        // The saved forecaster gives the same forecasts without training again.
        let served = try runPretext(["series", "forecast", "datasets/airline.csv", "--time", "date", "--value", "passengers", "--horizon", "6",
                                     "--model", path("forecaster.safetensors"), "-o", path("served.csv")])
        XCTAssertEqual(served.status, 0, served.standardError)
        XCTAssertEqual(FileManager.default.contents(atPath: path("served.csv")), FileManager.default.contents(atPath: path("forecast.csv")))
        // An encoder is not a forecaster or a predictor: the kind is named.
        let misuse = try runPretext(["predict", path("encoder.safetensors"), "datasets/airline.csv", "-o", path("p.csv")])
        XCTAssertEqual(misuse.status, 1)
        XCTAssertTrue(misuse.standardError.contains("series-encoder"), misuse.standardError)
    }

    func testCompareWritesForecastingAndClassificationReports() throws {
        let arguments = ["series", "compare", "datasets/airline.csv", "--time", "date", "--value", "passengers", "--horizon", "12",
                         "--folds", "1", "--histories", "48,all", "--repeats", "2", "--methods", "seasonal-naive,scratch,pretrained-full",
                         "--fine-tune-epochs", "3", "--pretrain-epochs", "2", "--encoder-width", "8", "-o", path("forecasting")]
        let forecasting = try runPretext(arguments + ["--quiet"])
        XCTAssertEqual(forecasting.status, 0, forecasting.standardError)
        let firstReport = FileManager.default.contents(atPath: path("forecasting/report.json"))
        // Run again: every cell comes from cells/, nothing is trained, the report is the same.
        let again = try runPretext(arguments)
        XCTAssertEqual(again.status, 0, again.standardError)
        XCTAssertEqual(again.standardError.components(separatedBy: "(kept from an earlier run)").count - 1, 12, again.standardError)
        XCTAssertFalse(again.standardError.contains("pretrained on"), again.standardError)
        XCTAssertEqual(FileManager.default.contents(atPath: path("forecasting/report.json")), firstReport)
        // The same data under another name is the same data: every cell is kept. One edited
        // value (same name, same shape) recomputes every cell.
        let original = try String(contentsOfFile: "\(repositoryRoot.path)/datasets/airline.csv", encoding: .utf8)
        let renamed = write("renamed.csv", original)
        let kept = try runPretext(arguments.map { $0 == "datasets/airline.csv" ? renamed : $0 })
        XCTAssertEqual(kept.standardError.components(separatedBy: "(kept from an earlier run)").count - 1, 12, kept.standardError)
        let editedFolder = folder.appendingPathComponent("edited")
        try FileManager.default.createDirectory(at: editedFolder, withIntermediateDirectories: true)
        let edited = editedFolder.appendingPathComponent("airline.csv").path
        try original.replacingOccurrences(of: "1960-12,432", with: "1960-12,433").write(toFile: edited, atomically: true, encoding: .utf8)
        XCTAssertNotEqual(try String(contentsOfFile: edited, encoding: .utf8), original)
        let recomputed = try runPretext(arguments.map { $0 == "datasets/airline.csv" ? edited : $0 })
        XCTAssertEqual(recomputed.status, 0, recomputed.standardError)
        XCTAssertFalse(recomputed.standardError.contains("kept from an earlier run"), recomputed.standardError)
        // A changed setting recomputes.
        let changed = try runPretext(arguments.map { $0 == "3" ? "4" : $0 })
        XCTAssertEqual(changed.status, 0, changed.standardError)
        XCTAssertFalse(changed.standardError.contains("kept from an earlier run"), changed.standardError)
        for file in ["report.md", "report.html", "report.json"] { XCTAssertTrue(FileManager.default.fileExists(atPath: path("forecasting/" + file))) }
        let json = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: path("forecasting/report.json")))) as! [String: Any]
        XCTAssertEqual(json["primaryMetric"] as? String, "MASE")
        let points = json["points"] as! [[String: Any]]
        XCTAssertEqual(points.map { $0["label"] as? String }, ["last 48 steps of history", "all history"])
        let html = try String(contentsOfFile: path("forecasting/report.html"), encoding: .utf8)
        XCTAssertTrue(html.contains("<svg") && html.contains("data-method=\"pretrained-full\""))

        let classification = try runPretext(["series", "compare", "datasets/italy_power_demand_train.csv", "--test", "datasets/italy_power_demand_test.csv",
                                             "--target", "target", "--labels", "10%,100%", "--repeats", "2", "--methods", "1nn,scratch,pretrained-linear-probe,contrastive-ridge,contrastive-ridge-steps",
                                             "--fine-tune-epochs", "5", "--pretrain-epochs", "2", "--pretrain-steps", "2", "--encoder-width", "8", "--quiet", "-o", path("classification"),
                                             "--reference", "Published: 1-NN Euclidean 0.955."])
        XCTAssertEqual(classification.status, 0, classification.standardError)
        let markdown = try String(contentsOfFile: path("classification/report.md"), encoding: .utf8)
        XCTAssertTrue(markdown.contains("## 10% labels (7 series)"), markdown)
        XCTAssertTrue(markdown.contains("| 1-NN (Euclidean) | "), markdown)
        XCTAssertTrue(markdown.contains("| Contrastive pretrained, frozen + ridge | "), markdown)
        XCTAssertTrue(markdown.contains("| Contrastive pretrained, frozen steps + ridge | "), markdown)
        XCTAssertTrue(markdown.contains("Contrastive frozen + ridge: the contrastively pretrained TCN is not trained further"), markdown)
        XCTAssertTrue(markdown.contains("## Where this stands\n\n- Published: 1-NN Euclidean 0.955."), markdown)
        // Nothing is added for a data set's name: the airline report without --reference has no such section.
        let forecastMarkdown = try String(contentsOfFile: path("forecasting/report.md"), encoding: .utf8)
        XCTAssertFalse(forecastMarkdown.contains("Where this stands") || forecastMarkdown.contains("Literature"), forecastMarkdown)
    }

    func testLongLayoutWithMissingValuesAndAFilledGapForecastsEverySeries() throws {
        // Two stores, daily 2024-03-01 … 2024-04-09; every ninth sales value missing; south lacks two days.
        var lines = ["store,day,sales,price"]
        for store in ["north", "south"] {
            for day in 0..<40 where !(store == "south" && (day == 17 || day == 18)) {
                let date = day < 31 ? String(format: "2024-03-%02d", day + 1) : String(format: "2024-04-%02d", day - 30)
                let sales = day % 9 == 4 ? "" : String(100 + (store == "north" ? 0 : 50) + day % 7 * 3)
                lines.append("\(store),\(date),\(sales),\(2 + day % 3)")
            }
        }
        let file = write("stores.csv", lines.joined(separator: "\n") + "\n")
        let gap = try runPretext(["series", "forecast", file, "--series-id", "store", "--time", "day", "--method", "naive", "-o", path("x.csv")])
        XCTAssertEqual(gap.status, 1)
        XCTAssertTrue(gap.standardError.contains("series south is daily but jumps from 2024-03-17 to 2024-03-20"), gap.standardError)
        let result = try runPretext(["series", "forecast", file, "--series-id", "store", "--time", "day", "--fill", "missing", "--horizon", "3",
                                     "--lookback", "10", "--fine-tune-epochs", "3", "--encoder-width", "8", "--quiet", "-o", path("stores-forecast.csv")])
        XCTAssertEqual(result.status, 0, result.standardError)
        XCTAssertTrue(result.standardError.contains("series: 2 series, 2 channels (sales, price), daily"), result.standardError)
        XCTAssertTrue(result.standardError.contains("missing values (masked in training, never read as zeros)"), result.standardError)
        let output = try String(contentsOfFile: path("stores-forecast.csv"), encoding: .utf8).split(separator: "\n")
        XCTAssertEqual(output.first, "series_id,time,step,sales,price")
        XCTAssertEqual(output.count, 7)
        XCTAssertTrue(output[1].hasPrefix("north,2024-04-10,1,"), String(output[1]))
        XCTAssertTrue(output[6].hasPrefix("south,2024-04-12,3,"), String(output[6]))
        XCTAssertFalse(output.contains { $0.lowercased().contains("nan") }, "\(output)")
    }

    func testGapsDuplicatesAndBadOptionsAreClearErrors() throws {
        let gaps = write("gaps.csv", "date,v\n2024-01-01,1\n2024-01-02,2\n2024-01-05,3\n2024-01-06,4\n2024-01-07,5\n")
        let gap = try runPretext(["series", "forecast", gaps, "--time", "date", "--horizon", "2", "--method", "naive", "-o", path("out.csv")])
        XCTAssertEqual(gap.status, 1)
        XCTAssertTrue(gap.standardError.contains("jumps from 2024-01-02 to 2024-01-05 (2 missing steps)"), gap.standardError)
        XCTAssertTrue(gap.standardError.contains("--fill"), gap.standardError)
        XCTAssertFalse(FileManager.default.fileExists(atPath: path("out.csv")))
        let filled = try runPretext(["series", "forecast", gaps, "--time", "date", "--horizon", "2", "--method", "naive", "--fill", "linear", "-o", path("out.csv")])
        XCTAssertEqual(filled.status, 0, filled.standardError)
        XCTAssertTrue(try String(contentsOfFile: path("out.csv"), encoding: .utf8).contains("gaps.csv,2024-01-08,1,5.0"))

        let duplicates = write("dup.csv", "id,t,v\na,1,1\na,2,2\nb,1,3\na,2,4\n")
        let duplicate = try runPretext(["series", "forecast", duplicates, "--series-id", "id", "--time", "t", "--method", "naive", "-o", path("d.csv")])
        XCTAssertEqual(duplicate.status, 1)
        XCTAssertTrue(duplicate.standardError.contains("series a has 2 rows at time 2 (rows 2, 4, lines 3, 5)"), duplicate.standardError)

        let unknown = try runPretext(["series", "forecast", "datasets/airline.csv", "--time", "dat", "--method", "naive", "-o", path("u.csv")])
        XCTAssertEqual(unknown.status, 1)
        XCTAssertTrue(unknown.standardError.contains("Did you mean \"date\""), unknown.standardError)

        let short = try runPretext(["series", "forecast", "datasets/airline.csv", "--time", "date", "--lookback", "200", "--fine-tune-epochs", "1", "-o", path("s.csv")])
        XCTAssertEqual(short.status, 1)
        XCTAssertTrue(short.standardError.contains("144 time steps"), short.standardError)

        let badHorizon = try runPretext(["series", "forecast", "datasets/airline.csv", "--horizon", "0", "-o", path("h.csv")])
        XCTAssertNotEqual(badHorizon.status, 0)
        XCTAssertTrue(badHorizon.standardError.contains("--horizon must be at least 1"), badHorizon.standardError)

        // The classify help's Coffee example, with few steps; without --wide the UCR file reads as one series of 287 channels.
        let wide = try runPretext(["series", "pretrain", "datasets/coffee_train.csv", "--wide", "--target", "target", "--objective", "contrastive",
                                   "--pretrain-steps", "4", "--encoder-width", "8", "--quiet", "-o", path("coffee.safetensors")])
        XCTAssertEqual(wide.status, 0, wide.standardError)
        let ridge = try runPretext(["series", "classify", "datasets/coffee_train.csv", "--target", "target", "--method", "encoder-ridge",
                                    "--encoder", path("coffee.safetensors"), "--quiet", "-o", path("coffee-ridge.safetensors")])
        XCTAssertEqual(ridge.status, 0, ridge.standardError)
        let rows = try runPretext(["series", "pretrain", "datasets/coffee_train.csv", "--target", "target", "--objective", "contrastive",
                                   "-o", path("rows.safetensors")])
        XCTAssertEqual(rows.status, 1)
        XCTAssertTrue(rows.standardError.contains("this is 1 series (28 steps, 286 channels)") && rows.standardError.contains("add --wide"), rows.standardError)
        XCTAssertFalse(FileManager.default.fileExists(atPath: path("rows.safetensors")))

        let views = try runPretext(["series", "pretrain", "datasets/coffee_train.csv", "--target", "target", "--objective", "contrastive",
                                    "--views", "subseries", "--temporal-weight", "1", "-o", path("e.safetensors")])
        XCTAssertNotEqual(views.status, 0)
        XCTAssertTrue(views.standardError.contains("--views subseries cannot be combined with --temporal-weight"), views.standardError)
        let mixup = try runPretext(["series", "compare", "datasets/coffee_train.csv", "--test", "datasets/coffee_test.csv", "--target", "target",
                                    "--contrastive-loss", "mixup", "--temporal-weight", "0.5", "-o", path("mixup-report")])
        XCTAssertNotEqual(mixup.status, 0)
        XCTAssertTrue(mixup.standardError.contains("--contrastive-loss mixup cannot be combined with --temporal-weight"), mixup.standardError)
        // A per-step term needs the TCN (the MLP has no step representations; this used to crash).
        for (flags, words) in [(["--encoder-kind", "mlp", "--temporal-weight", "1"], "--temporal-weight needs --encoder-kind tcn"),
                               (["--encoder-kind", "mlp", "--prediction-weight", "1"], "--prediction-weight needs --encoder-kind tcn"),
                               (["--prediction-weight", "1", "--contrastive-loss", "mixup"], "--prediction-weight above 0 cannot be combined with --contrastive-loss mixup"),
                               (["--views", "permuted", "--temporal-weight", "1"], "--views permuted cannot be combined with --temporal-weight")] {
            let refused = try runPretext(["series", "pretrain", "datasets/coffee_train.csv", "--wide", "--target", "target", "--objective", "contrastive"]
                                         + flags + ["-o", path("e.safetensors")])
            XCTAssertEqual(refused.status, 64, refused.standardError)
            XCTAssertTrue(refused.standardError.contains(words), refused.standardError)
        }
        let unknownViews = try runPretext(["series", "pretrain", "datasets/coffee_train.csv", "--target", "target", "--objective", "contrastive",
                                           "--views", "triplets", "-o", path("e.safetensors")])
        XCTAssertNotEqual(unknownViews.status, 0)
        XCTAssertTrue(unknownViews.standardError.contains("crops") && unknownViews.standardError.contains("subseries"), unknownViews.standardError)
        XCTAssertFalse(FileManager.default.fileExists(atPath: path("e.safetensors")))
    }
}
