import Foundation
import XCTest

/// `pretext cache` writes a cache every command reads in place of the CSV, with the
/// same results.
final class CacheCommandTests: XCTestCase {
    var folder: URL!

    override func setUpWithError() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("pretext-cache-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: folder) }

    func path(_ name: String) -> String { folder.appendingPathComponent(name).path }

    /// The column table of `pretext inspect` (its first lines name the file and its size).
    func columnTable(_ output: String) -> String {
        output.components(separatedBy: "\n").drop { !$0.hasPrefix("#") }.joined(separator: "\n")
    }

    func testEveryCommandReadsTheCacheAsItReadsTheCSV() throws {
        let cache = try runPretext(["cache", "datasets/penguins.csv", "-o", path("penguins.pretext")])
        XCTAssertEqual(cache.status, 0, cache.standardError)
        XCTAssertTrue(cache.standardOutput.hasPrefix("cached 344 rows × 7 columns"), cache.standardOutput)
        XCTAssertTrue(cache.standardOutput.contains("wrote \(path("penguins.pretext"))"), cache.standardOutput)

        let fromCSV = try runPretext(["inspect", "datasets/penguins.csv", "--target", "target"])
        let fromCache = try runPretext(["inspect", path("penguins.pretext"), "--target", "target"])
        XCTAssertEqual(fromCache.status, 0, fromCache.standardError)
        XCTAssertFalse(columnTable(fromCSV.standardOutput).isEmpty)
        // The same columns, types, summaries and target; the cache adds where it came from.
        XCTAssertEqual(columnTable(fromCache.standardOutput),
                       columnTable(fromCSV.standardOutput) + "\nnotes:\n  - read from the cache of datasets/penguins.csv\n")

        // A model fitted on the cache predicts as the one fitted on the CSV (same seed).
        for (data, model) in [("datasets/penguins.csv", "csv.safetensors"), (path("penguins.pretext"), "cache.safetensors")] {
            let fit = try runPretext(["fit", data, "--target", "target", "--method", "xgboost", "--baseline-trials", "2", "-o", path(model)])
            XCTAssertEqual(fit.status, 0, fit.standardError)
        }
        let predictions = try ["csv.safetensors", "cache.safetensors"].map { model -> String in
            let predict = try runPretext(["predict", path(model), path("penguins.pretext"), "-o", "-"])
            XCTAssertEqual(predict.status, 0, predict.standardError)
            return predict.standardOutput
        }
        XCTAssertEqual(predictions[0].split(separator: "\n").count, 345)
        XCTAssertEqual(predictions[0], predictions[1])
        // Predicting the cache (streamed in chunks) writes what predicting the CSV writes.
        let csvPredictions = try runPretext(["predict", path("csv.safetensors"), "datasets/penguins.csv", "-o", "-"])
        XCTAssertEqual(csvPredictions.standardOutput, predictions[0])
        let file = try runPretext(["predict", path("csv.safetensors"), path("penguins.pretext"), "-o", path("p.csv")])
        XCTAssertEqual(file.status, 0, file.standardError)
        XCTAssertTrue(file.standardError.contains("wrote 344 predictions to \(path("p.csv"))"), file.standardError)
        XCTAssertEqual(try String(contentsOfFile: path("p.csv"), encoding: .utf8), predictions[0])
    }

    /// `finetune` reads a cache's labeled rows; `embed` streams it; an id column neither
    /// has is an error naming it (embed used to leave it out silently).
    func testFinetuneAndEmbedReadACache() throws {
        XCTAssertEqual(try runPretext(["cache", "datasets/wine.csv", "-o", path("wine.pretext")]).status, 0)
        let pretrain = try runPretext(["pretrain", path("wine.pretext"), "--target", "target", "--pretrain-epochs", "2",
                                       "--encoder-width", "32", "--quiet", "-o", path("encoder.safetensors")])
        XCTAssertEqual(pretrain.status, 0, pretrain.standardError)
        let finetune = try runPretext(["finetune", path("wine.pretext"), "--target", "target", "--encoder", path("encoder.safetensors"),
                                       "--fine-tune-epochs", "3", "--quiet", "-o", path("model.safetensors")])
        XCTAssertEqual(finetune.status, 0, finetune.standardError)
        XCTAssertTrue(finetune.standardError.contains("on 178 labeled rows"), finetune.standardError)
        for model in ["encoder.safetensors", "model.safetensors"] {
            let fromCache = try runPretext(["embed", path(model), path("wine.pretext"), "-o", "-"])
            let fromCSV = try runPretext(["embed", path(model), "datasets/wine.csv", "-o", "-"])
            XCTAssertEqual(fromCache.status, 0, fromCache.standardError)
            XCTAssertEqual(fromCache.standardOutput.split(separator: "\n").count, 179)
            XCTAssertEqual(fromCache.standardOutput.split(separator: "\n").first, fromCSV.standardOutput.split(separator: "\n").first)
            for input in [path("wine.pretext"), "datasets/wine.csv"] {
                let typo = try runPretext(["embed", path(model), input, "--id", "custmer", "-o", path("e.csv")])
                XCTAssertEqual(typo.status, 1, input)
                XCTAssertTrue(typo.standardError.contains("custmer"), typo.standardError)
                XCTAssertFalse(FileManager.default.fileExists(atPath: path("e.csv")))
            }
        }
    }

    /// `pretrain` on a cache streams it (the table is never read whole), and the encoder
    /// serves the CSV's rows like any other.
    func testPretrainStreamsACache() throws {
        XCTAssertEqual(try runPretext(["cache", "datasets/credit_data.csv", "-o", path("credit.pretext")]).status, 0)
        let pretrain = try runPretext(["pretrain", path("credit.pretext"), "--target", "target", "--pretrain-epochs", "2",
                                       "--encoder-width", "32", "--quiet", "-o", path("encoder.safetensors")])
        XCTAssertEqual(pretrain.status, 0, pretrain.standardError)
        XCTAssertTrue(pretrain.standardError.contains("pretrained on 4454 rows streamed from the cache for 2 epochs; peak memory"),
                      pretrain.standardError)
        let embed = try runPretext(["embed", path("encoder.safetensors"), "datasets/credit_data.csv", "-o", "-"])
        XCTAssertEqual(embed.status, 0, embed.standardError)
        XCTAssertEqual(embed.standardOutput.split(separator: "\n").count, 4455)
        let window = try runPretext(["pretrain", path("credit.pretext"), "--window-mb", "0", "-o", path("x.safetensors")])
        XCTAssertNotEqual(window.status, 0)
        XCTAssertTrue(window.standardError.contains("--window-mb must be at least 1"), window.standardError)
        // A target the cache does not have is an error naming it, as with a CSV.
        let wrong = try runPretext(["pretrain", path("credit.pretext"), "--target", "Targte", "-o", path("x.safetensors")])
        XCTAssertEqual(wrong.status, 1)
        XCTAssertTrue(wrong.standardError.contains("Targte"), wrong.standardError)
    }

    /// `fit` on a cache pretrains on all of it and learns from its labeled rows and a
    /// sample of the unlabeled ones; the model predicts the CSV.
    func testFitOnACache() throws {
        let lines = try String(contentsOfFile: "datasets/wine.csv", encoding: .utf8).split(separator: "\n").map(String.init)
        let partly = [lines[0]] + lines.dropFirst().enumerated().map { index, line in
            index % 2 == 1 ? line.split(separator: ",", omittingEmptySubsequences: false).dropLast().joined(separator: ",") + "," : line
        }
        try (partly.joined(separator: "\n") + "\n").write(toFile: path("partly.csv"), atomically: false, encoding: .utf8)
        XCTAssertEqual(try runPretext(["cache", path("partly.csv"), "-o", path("partly.pretext"), "--quiet"]).status, 0)
        let fit = try runPretext(["fit", path("partly.pretext"), "--target", "target", "--pretrain-epochs", "2", "--encoder-width", "32",
                                  "--fine-tune-epochs", "5", "--baseline-trials", "1", "--quiet", "-o", path("model.safetensors")])
        XCTAssertEqual(fit.status, 0, fit.standardError)
        XCTAssertTrue(fit.standardError.contains("cache: pretrained on all 178 rows, streamed; the rest learns from its 89 labeled rows and a sample of 89 unlabeled rows"),
                      fit.standardError)
        XCTAssertTrue(fit.standardOutput.contains("candidate"), fit.standardOutput)
        let predict = try runPretext(["predict", path("model.safetensors"), "datasets/wine.csv", "-o", "-"])
        XCTAssertEqual(predict.status, 0, predict.standardError)
        XCTAssertEqual(predict.standardOutput.split(separator: "\n").count, 179)
        let trees = try runPretext(["fit", path("partly.pretext"), "--target", "target", "--method", "xgboost", "--baseline-trials", "1",
                                    "-o", path("trees.safetensors")])
        XCTAssertEqual(trees.status, 0, trees.standardError)
        XCTAssertTrue(trees.standardError.contains("cache: the rest learns from its 89 labeled rows"), trees.standardError)
        XCTAssertTrue(trees.standardError.contains("trained xgboost on 89 labeled rows"), trees.standardError)
    }

    func testBadInputAndOptionsAreErrors() throws {
        let missing = try runPretext(["cache", path("none.csv"), "-o", path("x.pretext")])
        XCTAssertEqual(missing.status, 1)
        XCTAssertTrue(missing.standardError.contains("none.csv"), missing.standardError)
        XCTAssertFalse(FileManager.default.fileExists(atPath: path("x.pretext")))

        let ragged = path("ragged.csv")
        try "a,b\n1,2\n3,4,5\n".write(toFile: ragged, atomically: false, encoding: .utf8)
        let bad = try runPretext(["cache", ragged, "-o", path("x.pretext")])
        XCTAssertEqual(bad.status, 1)
        XCTAssertTrue(bad.standardError.contains("ragged.csv:3"), bad.standardError)
        XCTAssertFalse(FileManager.default.fileExists(atPath: path("x.pretext")))

        XCTAssertEqual(try runPretext(["cache", "datasets/wine.csv", "-o", path("wine.pretext")]).status, 0)
        // Read options belong to the build; given with a cache they are refused, not ignored.
        let options = try runPretext(["inspect", path("wine.pretext"), "--delimiter", ";"])
        XCTAssertEqual(options.status, 1)
        XCTAssertTrue(options.standardError.contains("this is a Pretext cache"), options.standardError)
        // A truncated cache is a typed error naming the file.
        let bytes = try Data(contentsOf: URL(fileURLWithPath: path("wine.pretext")))
        try bytes.prefix(bytes.count / 2).write(to: URL(fileURLWithPath: path("cut.pretext")))
        let cut = try runPretext(["inspect", path("cut.pretext")])
        XCTAssertEqual(cut.status, 1)
        XCTAssertTrue(cut.standardError.contains("cut.pretext: not a usable Pretext cache"), cut.standardError)
    }
}
