import Foundation
import XCTest

/// pretrain / finetune / fit / predict / embed through the real binary, with small settings.
final class ModelCommandTests: XCTestCase {
    var folder: URL!

    override func setUpWithError() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("pretext-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: folder) }

    let quick = ["--pretrain-epochs", "3", "--encoder-width", "32", "--fine-tune-epochs", "5", "--quiet"]

    func path(_ name: String) -> String { folder.appendingPathComponent(name).path }

    func write(_ name: String, _ text: String) throws -> String {
        try text.write(toFile: path(name), atomically: true, encoding: .utf8)
        return path(name)
    }

    func testFitPredictAndShuffledColumnsGiveIdenticalOutput() throws {
        let fit = try runPretext(["fit", "datasets/penguins.csv", "--target", "target", "-o", path("m.safetensors")] + quick)
        XCTAssertEqual(fit.status, 0, fit.standardError)
        XCTAssertTrue(fit.standardOutput.contains("wrote"))
        // auto (the default) prints every candidate's validation loss and its choice.
        XCTAssertTrue(fit.standardOutput.hasPrefix("candidate  validation loss  chose\nscarf "), fit.standardOutput)
        XCTAssertTrue(fit.standardOutput.contains("\nscratch ") && fit.standardOutput.contains("\nxgboost "), fit.standardOutput)
        // The default rule weights every candidate by its out-of-fold evidence
        // (self-training sits out: every penguin is labeled).
        XCTAssertTrue(fit.standardOutput.contains("best candidates weighted by their out-of-fold evidence (pseudo-BMA+)"),
                      "344 rows: every candidate cross-validated (a hold-out only above 1,000): \(fit.standardOutput)")
        XCTAssertTrue(fit.standardOutput.contains("evidence-weighted average (pseudo-BMA+) of "), fit.standardOutput)
        XCTAssertTrue(fit.standardOutput.contains("by 5-fold stratified cross-validation × 2 on the labeled rows"), fit.standardOutput)

        let predict = try runPretext(["predict", path("m.safetensors"), "datasets/penguins.csv", "-o", path("p.csv")])
        XCTAssertEqual(predict.status, 0, predict.standardError)
        let predictions = try String(contentsOfFile: path("p.csv"), encoding: .utf8)
        let lines = predictions.split(separator: "\n")
        XCTAssertEqual(lines.first, "prediction,probability_Adelie,probability_Chinstrap,probability_Gentoo")
        XCTAssertEqual(lines.count, 345)
        XCTAssertFalse(predict.standardError.contains("ignored"), "the target column is not reported as extra")

        // Same rows, columns reversed, target dropped, one extra column: same predictions.
        let original = try String(contentsOfFile: repositoryRoot.appendingPathComponent("datasets/penguins.csv").path, encoding: .utf8)
        let reordered = original.split(separator: "\n", omittingEmptySubsequences: false).filter { !$0.isEmpty }.map { line -> String in
            let fields = line.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            return (Array(fields.dropLast().reversed()) + ["x"]).joined(separator: ",")
        }.joined(separator: "\n") + "\n"
        let shuffledPath = try write("shuffled.csv", reordered)
        let stdout = try runPretext(["predict", path("m.safetensors"), shuffledPath, "-o", "-"])
        XCTAssertEqual(stdout.status, 0, stdout.standardError)
        XCTAssertEqual(stdout.standardOutput, predictions)
        XCTAssertTrue(stdout.standardError.contains("ignored 1 column(s) the model does not use"), stdout.standardError)
    }

    /// The same model's predictions with the products on OpenBLAS and on oneDNN agree to
    /// float rounding; the status line names the library; an unknown PRETEXT_GEMM value is
    /// an error, not a silent fallback.
    func testProductLibrariesAgreeAndPRETEXT_GEMMIsChecked() throws {
        let fit = try runPretext(["fit", "datasets/penguins.csv", "--target", "target", "-o", path("m.safetensors")] + quick)
        XCTAssertEqual(fit.status, 0, fit.standardError)
        var probabilities: [String: [Double]] = [:]
        for library in ["openblas", "onednn"] {
            let predict = try runPretext(["predict", path("m.safetensors"), "datasets/penguins.csv", "-o", "-"],
                                         environment: ["PRETEXT_GEMM": library])
            XCTAssertEqual(predict.status, 0, "\(library): \(predict.standardError)")
            probabilities[library] = predict.standardOutput.split(separator: "\n").dropFirst().flatMap { line in
                line.split(separator: ",").dropFirst().compactMap { Double($0) }
            }
            let bench = try runPretext(["bench", "gemm", "--seconds", "0.01"], environment: ["PRETEXT_GEMM": library])
            XCTAssertEqual(bench.status, 0, bench.standardError)
            XCTAssertTrue(bench.standardOutput.contains(library == "openblas" ? "products on OpenBLAS" : "products on oneDNN"),
                          bench.standardOutput)
        }
        let openBLAS = try XCTUnwrap(probabilities["openblas"]), oneDNN = try XCTUnwrap(probabilities["onednn"])
        XCTAssertEqual(openBLAS.count, 344 * 3)
        XCTAssertEqual(openBLAS.count, oneDNN.count)
        XCTAssertLessThan(zip(openBLAS, oneDNN).map { abs($0 - $1) }.max() ?? 1, 1e-4)
        let unknown = try runPretext(["bench", "gemm", "--seconds", "0.01"], environment: ["PRETEXT_GEMM": "mkl"])
        XCTAssertNotEqual(unknown.status, 0)
        XCTAssertTrue(unknown.standardError.contains("PRETEXT_GEMM is \"mkl\"; expected openblas or onednn"), unknown.standardError)
    }

    func testPretrainFinetuneWithBudgetIDsAndEmbed() throws {
        var text = "row_id,a,b,c,label\n"
        var state: UInt64 = 7
        func next() -> Double { state = state &* 6364136223846793005 &+ 1442695040888963407; return Double(state >> 11) / Double(1 << 53) }
        for row in 0..<300 {
            let a = next(), b = next(), c = next()
            let label = row % 3 == 0 ? "" : (a + b > 1 ? "yes" : "no")   // a third unlabeled
            text += "r\(row),\(a),\(b),\(c),\(label)\n"
        }
        let data = try write("data.csv", text)
        let pretrain = try runPretext(["pretrain", data, "--target", "label", "--id", "row_id", "-o", path("enc.safetensors"),
                                       "--pretrain-epochs", "3", "--encoder-width", "16", "--quiet"])
        XCTAssertEqual(pretrain.status, 0, pretrain.standardError)
        XCTAssertTrue(pretrain.standardError.contains("pretrained on 300 rows"), pretrain.standardError)
        let finetune = try runPretext(["finetune", data, "--target", "label", "--encoder", path("enc.safetensors"), "--labels", "10%",
                                       "--id", "row_id", "--strategy", "linear-probe", "--fine-tune-epochs", "5", "-o", path("m.safetensors"), "--quiet"])
        XCTAssertEqual(finetune.status, 0, finetune.standardError)
        XCTAssertTrue(finetune.standardError.contains("on 20 labeled rows"), finetune.standardError)
        let predict = try runPretext(["predict", path("m.safetensors"), data, "-o", "-"])
        XCTAssertTrue(predict.standardOutput.hasPrefix("row_id,prediction,probability_no,probability_yes\nr0,"), predict.standardOutput)
        let embed = try runPretext(["embed", path("enc.safetensors"), data, "--id", "row_id", "-o", path("e.csv")])
        XCTAssertEqual(embed.status, 0, embed.standardError)
        let embedded = try String(contentsOfFile: path("e.csv"), encoding: .utf8).split(separator: "\n")
        XCTAssertEqual(embedded.count, 301)
        XCTAssertTrue(embedded[0].hasPrefix("row_id,embedding_0,embedding_1,"))
        XCTAssertEqual(embedded[0].split(separator: ",").count, 17)
    }

    func testUnlabeledFilesJoinThePretrainingPool() throws {
        let lines = try String(contentsOfFile: repositoryRoot.appendingPathComponent("datasets/wine.csv").path, encoding: .utf8)
            .split(separator: "\n")
        let header = String(lines[0])
        // The extra file: same columns in another order, no target column at all.
        let names = header.split(separator: ",").map(String.init)
        let reordered = names.dropLast().reversed().map { names.firstIndex(of: $0)! }
        let extra = ([reordered.map { names[$0] }.joined(separator: ",")] + lines[1...60].map { line in
            let fields = line.split(separator: ",").map(String.init)
            return reordered.map { fields[$0] }.joined(separator: ",")
        }).joined(separator: "\n") + "\n"
        let extraPath = try write("extra.csv", extra)
        let result = try runPretext(["pretrain", "datasets/wine.csv", "--target", "target", "--unlabeled", extraPath,
                                     "--unlabeled", extraPath, "-o", path("enc.safetensors"), "--pretrain-epochs", "2",
                                     "--encoder-width", "16", "--quiet"])
        XCTAssertEqual(result.status, 0, result.standardError)
        XCTAssertTrue(result.standardError.contains("pretrained on 298 rows"), result.standardError)   // 178 + 60 + 60
        let missingColumn = try write("bad-extra.csv", "alcohol\n13.0\n")
        let bad = try runPretext(["pretrain", "datasets/wine.csv", "--target", "target", "--unlabeled", missingColumn,
                                  "-o", path("enc2.safetensors"), "--quiet"])
        XCTAssertEqual(bad.status, 1)
        XCTAssertTrue(bad.standardError.contains("lacks 12 needed column(s)"), bad.standardError)
    }

    func testPredictErrorsNameTheProblemAndWriteNothing() throws {
        XCTAssertEqual(try runPretext(["fit", "datasets/wine.csv", "--target", "target", "-o", path("m.safetensors")] + quick).status, 0)
        let partial = try write("partial.csv", "alcohol,malic_acid\n13.2,1.8\n")
        let missing = try runPretext(["predict", path("m.safetensors"), partial, "-o", path("out.csv")])
        XCTAssertEqual(missing.status, 1)
        XCTAssertTrue(missing.standardError.contains("the input lacks"), missing.standardError)
        XCTAssertTrue(missing.standardError.contains("lacks 11 needed column(s)"), missing.standardError)
        XCTAssertTrue(missing.standardError.contains("proline"), missing.standardError)
        XCTAssertFalse(FileManager.default.fileExists(atPath: path("out.csv")))

        // An encoder where a model is needed.
        XCTAssertEqual(try runPretext(["pretrain", "datasets/wine.csv", "--target", "target", "-o", path("enc.safetensors"),
                                       "--pretrain-epochs", "2", "--encoder-width", "16", "--quiet"]).status, 0)
        let wrongKind = try runPretext(["predict", path("enc.safetensors"), "datasets/wine.csv", "-o", path("out.csv")])
        XCTAssertEqual(wrongKind.status, 1)
        XCTAssertTrue(wrongKind.standardError.contains("a model file of kind encoder, but this needs one of the kinds tabular-model,"), wrongKind.standardError)

        // Output into a missing folder or onto a folder: an error, nothing written.
        let unwritable = try runPretext(["predict", path("m.safetensors"), "datasets/wine.csv", "-o", path("no/such/dir/p.csv")])
        XCTAssertEqual(unwritable.status, 1)
        XCTAssertTrue(unwritable.standardError.contains("cannot write"), unwritable.standardError)
        let ontoFolder = try runPretext(["predict", path("m.safetensors"), "datasets/wine.csv", "-o", folder.path])
        XCTAssertEqual(ontoFolder.status, 1)
        XCTAssertTrue(ontoFolder.standardError.contains("directory"), ontoFolder.standardError)
    }

    func testBadHyperparametersAndBudgetsAreUsageErrors() throws {
        for arguments in [["--labels", "150%"], ["--labels", "0"], ["--fine-tune-learning-rate", "nan"], ["--fine-tune-learning-rate", "-1"],
                          ["--corruption-rate", "1.5"], ["--temperature", "0"], ["--ensemble-size", "0"],
                          ["--method", "xgboost", "--ensemble-size", "2"]] {
            let result = try runPretext(["fit", "datasets/wine.csv", "--target", "target", "-o", path("x.safetensors")] + arguments)
            XCTAssertEqual(result.status, 64, "\(arguments): \(result.standardError)")
            XCTAssertFalse(FileManager.default.fileExists(atPath: path("x.safetensors")))
        }
        let tooMany = try runPretext(["fit", "datasets/wine.csv", "--target", "target", "-o", path("x.safetensors"), "--labels", "5000"] + quick)
        XCTAssertEqual(tooMany.status, 1)
        XCTAssertTrue(tooMany.standardError.contains("only 178 labeled training rows"), tooMany.standardError)
    }
}

final class BaselineCommandTests: XCTestCase {
    func testXGBoostModelsAreFittedSavedAndServedLikeNeuralOnes() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("pretext-xgb-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let model = folder.appendingPathComponent("trees.safetensors").path
        let fit = try runPretext(["fit", "datasets/breast_cancer.csv", "--target", "target", "--method", "xgboost",
                                  "--baseline-trials", "1", "-o", model])
        XCTAssertEqual(fit.status, 0, fit.standardError)
        let predict = try runPretext(["predict", model, "datasets/breast_cancer.csv", "-o", "-"])
        XCTAssertEqual(predict.status, 0, predict.standardError)
        let lines = predict.standardOutput.split(separator: "\n")
        XCTAssertEqual(lines.first, "prediction,probability_benign,probability_malignant")
        XCTAssertEqual(lines.count, 570)
    }

    func testCompareWritesTheThreeReportsAndResumes() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("pretext-compare-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let arguments = ["compare", "datasets/wine.csv", "--target", "target", "--repeats", "2", "--labels", "100%",
                         "--methods", "xgboost,linear,mlp", "--baseline-trials", "0", "-o", folder.path]
        let first = try runPretext(arguments)
        XCTAssertEqual(first.status, 0, first.standardError)
        for name in ["report.md", "report.html", "report.json"] {
            XCTAssertTrue(FileManager.default.fileExists(atPath: folder.appendingPathComponent(name).path), name)
        }
        XCTAssertTrue(first.standardOutput.contains("| XGBoost (tuned) |"), first.standardOutput)
        XCTAssertTrue(first.standardError.contains("cell 6/6"), first.standardError)
        // The ETA counts each cell left at its own method's pace: none while a method left
        // to run has not run yet.
        func line(_ run: CLIResult, _ prefix: String) -> String {
            run.standardError.split(separator: "\n").map(String.init).first { $0.hasPrefix(prefix) } ?? ""
        }
        XCTAssertTrue(line(first, "cell 1/6:").hasSuffix("(ETA unknown)"), first.standardError)
        XCTAssertTrue(line(first, "cell 3/6:").contains("(ETA "), first.standardError)
        XCTAssertFalse(line(first, "cell 3/6:").contains("unknown"), first.standardError)
        let second = try runPretext(arguments)
        XCTAssertEqual(second.status, 0)
        XCTAssertEqual(second.standardError.components(separatedBy: "kept from an earlier run").count - 1, 6)
        // A third seed: the kept cells cost nothing and say nothing about the pace of the new ones.
        let third = try runPretext(arguments.map { $0 == "2" ? "3" : $0 })
        XCTAssertEqual(third.status, 0, third.standardError)
        XCTAssertEqual(third.standardError.components(separatedBy: "kept from an earlier run").count - 1, 6, third.standardError)
        XCTAssertTrue(line(third, "cell 7/9:").hasSuffix("(ETA unknown)"), third.standardError)
        XCTAssertTrue(line(third, "cell 9/9:").hasSuffix("(ETA 0:00)"), third.standardError)
        let json = try JSONSerialization.jsonObject(with: Data(contentsOf: folder.appendingPathComponent("report.json"))) as! [String: Any]
        XCTAssertEqual(json["primaryMetric"] as? String, "accuracy")
    }
}

final class TransferCommandTests: XCTestCase {
    func testFinetuneOnAnotherTablePrintsTheAlignmentAndSupervisedPretrainingWorks() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("pretext-transfer-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        // Source: penguins without sex, pretrained to predict the island (an upstream label).
        let lines = try String(contentsOfFile: repositoryRoot.appendingPathComponent("datasets/penguins.csv").path, encoding: .utf8)
            .split(separator: "\n").map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
        let sex = lines[0].firstIndex(of: "sex")!, bodyMass = lines[0].firstIndex(of: "body_mass_g")!
        let source = lines.map { row in row.enumerated().filter { $0.offset != sex }.map(\.element).joined(separator: ",") }.joined(separator: "\n") + "\n"
        let target = lines.map { row in row.enumerated().filter { $0.offset != bodyMass }.map(\.element).joined(separator: ",") }.joined(separator: "\n") + "\n"
        let sourcePath = folder.appendingPathComponent("source.csv").path, targetPath = folder.appendingPathComponent("target.csv").path
        try source.write(toFile: sourcePath, atomically: true, encoding: .utf8)
        try target.write(toFile: targetPath, atomically: true, encoding: .utf8)
        let encoder = folder.appendingPathComponent("enc.safetensors").path
        let pretrain = try runPretext(["pretrain", sourcePath, "--target", "island", "--objective", "supervised", "-o", encoder,
                                       "--pretrain-epochs", "5", "--encoder-width", "16", "--quiet"])
        XCTAssertEqual(pretrain.status, 0, pretrain.standardError)
        let model = folder.appendingPathComponent("m.safetensors").path
        let finetune = try runPretext(["finetune", targetPath, "--target", "target", "--encoder", encoder, "--fine-tune-epochs", "5",
                                       "-o", model, "--quiet"])
        XCTAssertEqual(finetune.status, 0, finetune.standardError)
        XCTAssertTrue(finetune.standardError.contains("columns: missing from the target, fed as missing: body_mass_g"), finetune.standardError)
        XCTAssertTrue(finetune.standardError.contains("given fresh input weights: island, sex"), finetune.standardError)
        let predict = try runPretext(["predict", model, targetPath, "-o", "-"])
        XCTAssertEqual(predict.status, 0, predict.standardError)
        XCTAssertEqual(predict.standardOutput.split(separator: "\n").count, 345)
    }
}
