import Foundation
import XCTest
import PretextData
@testable import PretextNN
import PretextSSL
@testable import PretextTransfer
import PretextBaselines

/// Prediction and embedding stream a cache a chunk of rows at a time and write the file
/// the table read whole gives — byte for byte in one chunk, and up to the last bits of
/// the networks' matrix products in several (a product's kernel depends on how many rows
/// it has); fine-tuning reads only the labeled rows and trains the model the whole table
/// trains. Outputs are complete or absent.
final class CachedWorkflowTests: XCTestCase {
    var folder: String!

    override func setUpWithError() throws {
        folder = NSTemporaryDirectory() + "pretext-cached-workflow-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws { try? FileManager.default.removeItem(atPath: folder) }

    func bytes(_ path: String) throws -> Data { try Data(contentsOf: URL(fileURLWithPath: path)) }

    /// Two CSV files with the same lines and fields, numbers equal within `tolerance`
    /// (relative), every other field exactly.
    func assertSameCSV(_ path: String, _ expected: String, tolerance: Double = 1e-5, _ message: String,
                       file: StaticString = #filePath, line: UInt = #line) throws {
        let found = try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n")
        let wanted = try String(contentsOfFile: expected, encoding: .utf8).split(separator: "\n")
        XCTAssertEqual(found.count, wanted.count, message, file: file, line: line)
        for (a, b) in zip(found, wanted) where a != b {
            let (x, y) = (a.split(separator: ",", omittingEmptySubsequences: false), b.split(separator: ",", omittingEmptySubsequences: false))
            XCTAssertEqual(x.count, y.count, message, file: file, line: line)
            for (u, v) in zip(x, y) where u != v {
                guard let p = Double(u), let q = Double(v) else { return XCTFail("\(message): \(u) ≠ \(v)", file: file, line: line) }
                XCTAssertEqual(p, q, accuracy: tolerance * max(1, abs(q)), message, file: file, line: line)
            }
        }
    }

    func quickFineTune() -> FineTuneConfig {
        var config = FineTuneConfig()
        config.training.maximumEpochs = 5
        config.headWidth = 16
        config.seed = 2
        return config
    }

    /// Penguins has categories, missing values and 344 rows: chunks of 7 rows leave a
    /// short last chunk, and a category can be absent from a chunk.
    func testPredictionsAndEmbeddingsStreamedInChunksEqualTheWholeTables() throws {
        let cache = folder + "/penguins.pretext"
        try ColumnarCache.build(datasetsPath + "/penguins.csv", to: cache)
        let table = try loadTable("penguins.csv")
        let whole = try Workflow.readTable(datasetsPath + "/penguins.csv", target: nil, idColumns: [], options: ReadOptions()).0
        let encoder = try Pretrainer(config: quickScarf(seed: 1, epochs: 2, width: 32)).fit(table)
        let network = try FineTuner(config: quickFineTune()).fit(encoder: encoder, table: table, rows: table.labeledRows)
        network.idColumns = ["island"]
        var treeConfig = GradientBoostedTreesConfig()
        treeConfig.trials = 1
        treeConfig.maximumRounds = 30
        let trees = try GradientBoostedTrees(config: treeConfig).fit(table, rows: table.labeledRows)
        for (name, model) in [("network", network as TabularPredictor), ("trees", trees)] {
            let (expected, expectedNotes) = try Workflow.predict(model, table: whole, idColumns: ["sex"])
            try expected.write(to: folder + "/\(name)-whole.csv")
            for chunkRows in [7, 344, 10_000] {
                let streamed = folder + "/\(name)-\(chunkRows).csv"
                let (rows, notes) = try Workflow.predict(model, cache: cache, idColumns: ["sex"], options: ReadOptions(), to: streamed, chunkRows: chunkRows)
                XCTAssertEqual(rows, 344)
                XCTAssertEqual(notes, expectedNotes)
                if chunkRows >= 344 || name == "trees" {
                    XCTAssertEqual(try bytes(streamed), try bytes(folder + "/\(name)-whole.csv"), "\(name), chunks of \(chunkRows)")
                } else {
                    try assertSameCSV(streamed, folder + "/\(name)-whole.csv", "\(name), chunks of \(chunkRows)")
                }
            }
        }

        // Embeddings: an encoder file, and a fine-tuned model with its id column.
        try encoder.save(to: folder + "/encoder.safetensors")
        try network.save(to: folder + "/model.safetensors")
        for (file, expected) in [("encoder", try Workflow.embed(try encoder.transform(whole), table: whole, idColumns: ["sex"])),
                                 ("model", try Workflow.embed(try network.embed(whole), table: whole, idColumns: ["island", "sex"]))] {
            try expected.write(to: folder + "/\(file)-embeddings-whole.csv")
            let streamed = folder + "/\(file)-embeddings.csv"
            let (rows, columns) = try Workflow.embed(modelPath: folder + "/\(file).safetensors", cache: cache, idColumns: ["sex"],
                                                     options: ReadOptions(), to: streamed, chunkRows: 7)
            XCTAssertEqual(rows, 344)
            XCTAssertEqual(columns, 32)
            try assertSameCSV(streamed, folder + "/\(file)-embeddings-whole.csv", file)
        }
    }

    /// A model that reads long-layout series (100 rows make one here) predicts a cache
    /// whole, not in chunks that would cut series: the same file as the CSV gives, even
    /// with chunks of 7 rows asked for.
    func testASeriesModelPredictsACacheWhole() throws {
        let train = try loadTable("basic_motions_train.csv")
        let model = try MiniRocketClassifier().fit(train, columns: SeriesColumns(seriesID: "series_id", time: "t"))
        XCTAssertTrue(model.readsSeries)
        let cache = folder + "/motions.pretext"
        try ColumnarCache.build(datasetsPath + "/basic_motions_test.csv", to: cache)
        let whole = try Workflow.readTable(datasetsPath + "/basic_motions_test.csv", target: nil, idColumns: [], options: ReadOptions()).0
        try Workflow.predict(model, table: whole, idColumns: []).0.write(to: folder + "/whole.csv")
        let (rows, _) = try Workflow.predict(model, cache: cache, idColumns: [], options: ReadOptions(), to: folder + "/streamed.csv", chunkRows: 7)
        XCTAssertEqual(rows, 40, "one prediction per series")
        XCTAssertEqual(try bytes(folder + "/streamed.csv"), try bytes(folder + "/whole.csv"))
    }

    /// penguins.csv with the target of the rows `unlabeled` picks emptied, as a CSV and its cache.
    private func partlyLabeledPenguins(unlabeled: (Int) -> Bool) throws -> (csv: String, cache: String) {
        let lines = try String(contentsOfFile: datasetsPath + "/penguins.csv", encoding: .utf8).split(separator: "\n").map(String.init)
        let partly = [lines[0]] + lines.dropFirst().enumerated().map { index, line in
            unlabeled(index) ? line.split(separator: ",", omittingEmptySubsequences: false).dropLast().joined(separator: ",") + "," : line
        }
        let csv = folder + "/partly.csv", cache = folder + "/partly.pretext"
        try (partly.joined(separator: "\n") + "\n").write(toFile: csv, atomically: false, encoding: .utf8)
        try ColumnarCache.build(csv, to: cache)
        return (csv, cache)
    }

    /// Fine-tuning streamed from a cache: below a window it trains exactly the model the
    /// CSV's labeled rows train (every strategy, the same hold-out), and with windows of a
    /// few blocks it visits every row and learns as well; the budget rows are the same.
    func testFineTuningFromACacheStreamsTheLabeledRows() throws {
        let (csv, cache) = try partlyLabeledPenguins(unlabeled: { $0 % 3 == 2 })
        let cached = try CachedTable(path: cache)
        let (whole, _) = try Workflow.readTable(csv, target: "target", idColumns: ["island"], options: ReadOptions())
        XCTAssertEqual(whole.labeledRows.count, 344 - 344 / 3)

        // Pretrained with "island" as an id (not an input), as the cache path reads it.
        let encoder = try Pretrainer(config: quickScarf(seed: 1, epochs: 2, width: 32)).fit(whole)
        for strategy in FineTuneConfig.Strategy.allCases {
            var config = quickFineTune()
            config.strategy = strategy
            let fromCSV = try FineTuner(config: config).fit(encoder: encoder, table: whole, rows: whole.labeledRows)
            let fromCache = try FineTuner(config: config).fit(encoder: encoder, cache: cached, target: "target")
            XCTAssertEqual(fromCache.head.store.values, fromCSV.head.store.values, "\(strategy)")
            XCTAssertEqual(fromCache.encoder.store.values, fromCSV.encoder.store.values, "\(strategy)")
            XCTAssertEqual(fromCache.history.epochs.count, fromCSV.history.epochs.count, "\(strategy)")

            // Windows of one block of 16 rows (1 kB holds fewer rows than a block of features).
            let windowed = try FineTuner(config: config).fit(encoder: encoder, cache: cached, target: "target",
                                                             windowBytes: 1_024, blockRows: 16)
            XCTAssertNotEqual(windowed.head.store.values, fromCSV.head.store.values, "\(strategy): windows order the rows otherwise")
            let labeled = whole.selecting(rows: whole.labeledRows)
            func accuracy(_ model: TabularModel) throws -> Double {
                let predicted = try model.predictions(labeled).predictions.labels
                return Double(zip(predicted, (0..<labeled.rowCount).map { labeled.target!.text(at: $0) }).filter { $0 == $1 }.count)
                    / Double(labeled.rowCount)
            }
            let (streamed, held) = (try accuracy(windowed), try accuracy(fromCSV))
            XCTAssertGreaterThan(streamed, held - 0.05, "\(strategy): windowed \(streamed), held \(held)")
        }
        XCTAssertThrowsError(try FineTuner(config: quickFineTune()).fit(encoder: encoder, cache: cached, target: "tagret")) { error in
            XCTAssertTrue("\(error)".contains("tagret"), "\(error)")
        }

        // The CLI's path: a budget drawn from the target column alone is the table's budget.
        let output = folder + "/model.safetensors"
        let (model, alignment, count) = try Workflow.fineTuneAndSave(
            encoder, cache: cache, target: "target", idColumns: ["island"], budget: .fraction(0.25), options: ReadOptions(),
            config: quickFineTune(), windowBytes: 64_000_000, seed: 3, to: output, progress: nil)
        let budget = try Workflow.budgetRows(whole, budget: .fraction(0.25), seed: 3)
        XCTAssertEqual(count, budget.count)
        XCTAssertTrue(alignment.missing.isEmpty && alignment.new.isEmpty, "\(alignment)")
        let expected = try FineTuner(config: quickFineTune()).fit(encoder: encoder, table: whole, rows: budget)
        XCTAssertEqual(model.head.store.values, expected.head.store.values)
        XCTAssertEqual(model.idColumns, ["island"])
        XCTAssertTrue(FileManager.default.fileExists(atPath: output))
        // An encoder that read "island" as a feature: here it is an id, so it is fed as missing.
        var withIsland = whole
        try withIsland.setRole(.feature, for: "island")
        let islandEncoder = try Pretrainer(config: quickScarf(seed: 1, epochs: 2, width: 32)).fit(withIsland)
        let (_, aligned, _) = try Workflow.fineTuneAndSave(
            islandEncoder, cache: cache, target: "target", idColumns: ["island"], budget: nil, options: ReadOptions(),
            config: quickFineTune(), windowBytes: 64_000_000, seed: 3, to: output, progress: nil)
        XCTAssertEqual(aligned.missing, ["island"])

        // `fit`'s table: every labeled row and a seeded sample of the unlabeled ones.
        let unlabeledCount = 344 / 3
        let (sampled, sampleCount, _) = try Workflow.fitTable(cache: cache, target: "target", idColumns: ["island"], options: ReadOptions(),
                                                              unlabeledSample: 40, seed: 5)
        XCTAssertEqual(sampleCount, 40)
        XCTAssertEqual(sampled.rowCount, whole.labeledRows.count + 40)
        XCTAssertEqual(sampled.labeledRows.count, whole.labeledRows.count, "every labeled row")
        XCTAssertEqual(sampled.target?.name, "target")
        let again = try Workflow.fitTable(cache: cache, target: "target", idColumns: [], options: ReadOptions(), unlabeledSample: 40, seed: 5).0
        XCTAssertEqual(again.contentFingerprint, try Workflow.fitTable(cache: cache, target: "target", idColumns: [], options: ReadOptions(),
                                                                       unlabeledSample: 40, seed: 5).0.contentFingerprint, "seeded")
        XCTAssertNotEqual(again.contentFingerprint, try Workflow.fitTable(cache: cache, target: "target", idColumns: [], options: ReadOptions(),
                                                                          unlabeledSample: 40, seed: 6).0.contentFingerprint)
        let everything = try Workflow.fitTable(cache: cache, target: "target", idColumns: [], options: ReadOptions(), unlabeledSample: 1_000, seed: 5)
        XCTAssertEqual(everything.unlabeled, unlabeledCount)
        XCTAssertEqual(everything.0.rowCount, 344)
        XCTAssertEqual(everything.0.contentFingerprint, (try Workflow.readTable(csv, target: "target", idColumns: [], options: ReadOptions()).0).contentFingerprint,
                       "with room for every row, the table read whole")
        XCTAssertEqual(try Workflow.fitTable(cache: cache, target: "target", idColumns: [], options: ReadOptions(), unlabeledSample: 0, seed: 5).0.rowCount,
                       whole.labeledRows.count)
    }

    /// The labels of fine-tuning above a window (`CachedLabels`): the labeled rows of the
    /// cache, a stratified hold-out of the same size per class as `LabeledRows`', cut
    /// proportionally to the cap and seeded, the rest training in file order, and each
    /// batch's labels (classes, or standardised numbers) those of the table read whole.
    func testCachedLabelsSplitAndReadTheLabeledRows() throws {
        let (csv, path) = try partlyLabeledPenguins(unlabeled: { $0 % 4 == 1 })
        let cache = try CachedTable(path: path)
        let (whole, _) = try Workflow.readTable(csv, target: "target", idColumns: [], options: ReadOptions())
        let table = try LabeledRows(whole, rows: nil, validationRows: nil, validationFraction: 0.2, minimumValidationRows: 1, seed: 4)
        func perClass(_ rows: [Int]) -> [String: Int] { Dictionary(grouping: rows) { whole.target!.text(at: $0) }.mapValues(\.count) }

        let uncapped = try CachedLabels(cache: cache, target: "target", rows: nil, validationFraction: 0.2, maximumValidationRows: 1_000,
                                        minimumValidationRows: 1, seed: 4, sliceRows: 10)
        XCTAssertEqual(uncapped.task, table.task)
        XCTAssertEqual(uncapped.target, table.target)
        XCTAssertEqual(perClass(uncapped.validation), perClass(table.validation), "the table's hold-out size per class")
        let train = (0..<uncapped.trainCount).map(uncapped.trainRow)
        XCTAssertEqual(train, train.sorted(), "file order")
        XCTAssertEqual((train + uncapped.validation).sorted(), whole.labeledRows, "every labeled row once")
        XCTAssertEqual(uncapped.trainingClassCounts, table.target.classNames.map { perClass(train)[$0] ?? 0 })

        let capped = try CachedLabels(cache: cache, target: "target", rows: nil, validationFraction: 0.2, maximumValidationRows: 20,
                                      minimumValidationRows: 1, seed: 4, sliceRows: 10)
        XCTAssertEqual(capped.validation.count, 20)
        let share = perClass(table.validation).mapValues { Double($0) * 20 / Double(table.validation.count) }
        for (name, count) in perClass(capped.validation) { XCTAssertEqual(Double(count), share[name]!, accuracy: 1, name) }
        XCTAssertEqual(capped.trainCount, whole.labeledRows.count - 20)
        XCTAssertEqual(try CachedLabels(cache: cache, target: "target", rows: nil, validationFraction: 0.2, maximumValidationRows: 20,
                                        minimumValidationRows: 1, seed: 4).validation, capped.validation, "seeded, whatever the slices")
        XCTAssertNotEqual(try CachedLabels(cache: cache, target: "target", rows: nil, validationFraction: 0.2, maximumValidationRows: 20,
                                           minimumValidationRows: 1, seed: 5).validation, capped.validation)
        XCTAssertTrue(try CachedLabels(cache: cache, target: "target", rows: nil, validationFraction: 0.2, maximumValidationRows: 20,
                                       minimumValidationRows: 21, seed: 4).validation.isEmpty, "too few to hold out: every row trains")

        // Batches of training positions read their labels from the cache.
        let positions = [5, 0, 17, capped.trainCount - 1, 17]
        let classes = try capped.objective(balanceClasses: true)
        XCTAssertEqual(classes.labels(positions), try table.target.classIndices(whole, rows: positions.map(capped.trainRow)))
        XCTAssertEqual(classes.validationLabels, try table.target.classIndices(whole, rows: capped.validation))
        XCTAssertEqual(classes.classWeights, SupervisedObjective.classWeights(counts: capped.trainingClassCounts))
        // A numeric target (body mass, a few values missing), among given rows.
        let given = Array(stride(from: 0, to: 344, by: 2))
        let numbers = try CachedLabels(cache: cache, target: "body_mass_g", rows: given, validationFraction: 0.2, maximumValidationRows: 15,
                                       minimumValidationRows: 1, seed: 4)
        XCTAssertEqual(numbers.task, .regression)
        var mass = whole
        try mass.setRole(.target, for: "body_mass_g")
        let present = given.filter { !mass.target!.isMissing($0) }
        XCTAssertEqual(numbers.target, try TargetEncoder.fit(mass, rows: present, task: .regression))
        XCTAssertEqual(numbers.validation.count, 15)
        XCTAssertEqual(((0..<numbers.trainCount).map(numbers.trainRow) + numbers.validation).sorted(), present)
        let regression = try numbers.objective(balanceClasses: false)
        let some = [3, 0, numbers.trainCount - 1]
        XCTAssertEqual(regression.targets(some), try numbers.target.standardized(mass, rows: some.map(numbers.trainRow)))
    }

    func testOutputsAreCompleteOrAbsent() throws {
        // A stream never finished leaves no file, and an existing file untouched.
        let target = folder + "/out.csv"
        try "old\n".write(toFile: target, atomically: false, encoding: .utf8)
        do {
            let stream = try CSVStream(path: target, header: ["a", "b"])
            var chunk = CSVWriter(header: ["a", "b"])
            chunk.appendRow(["1", "x,y"])
            try stream.append(chunk)
            XCTAssertEqual(stream.rowCount, 1)
        }
        XCTAssertEqual(try String(contentsOfFile: target, encoding: .utf8), "old\n")
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: folder), ["out.csv"], "no temporary file left behind")
        let stream = try CSVStream(path: target, header: ["a", "b"])
        var chunk = CSVWriter(header: ["a", "b"])
        chunk.appendRow(["1", "x,y"])
        try stream.append(chunk)
        try stream.append(chunk)
        try stream.finish()
        XCTAssertEqual(try String(contentsOfFile: target, encoding: .utf8), "a,b\n1,\"x,y\"\n1,\"x,y\"\n")

        // An id column the cache lacks: an error naming it, and no predictions file.
        let cache = folder + "/wine.pretext"
        try ColumnarCache.build(datasetsPath + "/wine.csv", to: cache)
        let table = try loadTable("wine.csv")
        let encoder = try Pretrainer(config: quickScarf(seed: 1, epochs: 1, width: 16)).fit(table)
        let model = try FineTuner(config: quickFineTune()).fit(encoder: encoder, table: table, rows: table.labeledRows)
        XCTAssertThrowsError(try Workflow.predict(model, cache: cache, idColumns: ["customer"], options: ReadOptions(), to: folder + "/p.csv")) { error in
            XCTAssertTrue("\(error)".contains("customer"), "\(error)")
        }
        XCTAssertFalse(FileManager.default.fileExists(atPath: folder + "/p.csv"))
        try encoder.save(to: folder + "/encoder.safetensors")
        XCTAssertThrowsError(try Workflow.embed(modelPath: folder + "/encoder.safetensors", cache: cache, idColumns: ["customer"],
                                                options: ReadOptions(), to: folder + "/e.csv"))
        XCTAssertFalse(FileManager.default.fileExists(atPath: folder + "/e.csv"))
        // Read options belong to the cache's build: refused, not ignored.
        var options = ReadOptions()
        options.delimiter = UInt8(ascii: ";")
        XCTAssertThrowsError(try Workflow.predict(model, cache: cache, idColumns: [], options: options, to: folder + "/p.csv"))
    }
}
