import Foundation
import XCTest
import PretextTestSupport
import PretextData
import PretextBaselines
import PretextAuto
@testable import PretextNN
@testable import PretextSSL
@testable import PretextTransfer

final class CorruptionTests: XCTestCase {
    /// A pool whose values are all distinct, so every replaced value is detectable.
    func pool(rows: Int, blocks: Int) -> (Matrix, [FeatureBlock]) {
        var generator = SeededGenerator(seed: 1)
        let matrix = Matrix(rows: rows, columns: blocks, values: (0..<(rows * blocks)).map { _ in Float(generator.nextNormal()) })
        let layout = (0..<blocks).map { FeatureBlock(column: "c\($0)", kind: .numeric, start: $0, width: 1, missingIndicator: nil) }
        return (matrix, layout)
    }

    func testCorruptsAFixedShareOfColumnsFromTheSameColumnsMarginal() {
        let (matrix, blocks) = pool(rows: 500, blocks: 10)
        let corruptor = MarginalCorruptor(blocks: blocks, corruptionRate: 0.6, pool: matrix)
        XCTAssertEqual(corruptor.columnsPerRow, 6)
        var generator = SeededGenerator(seed: 2)
        let batch = matrix.gatheringRows(Array(0..<200))
        let corrupted = corruptor.corrupt(batch, generator: &generator)
        var changed = 0
        for row in 0..<200 {
            var changedInRow = 0
            for column in 0..<10 where corrupted[row, column] != batch[row, column] {
                changedInRow += 1
                // The new value is column `column`'s value in some pool row (its marginal),
                // never another column's.
                let sameColumn = (0..<500).contains { matrix[$0, column] == corrupted[row, column] }
                XCTAssertTrue(sameColumn, "row \(row) column \(column)")
            }
            // Exactly 6 columns are drawn; a draw can hit the row itself (1/500), so ≤ 6.
            XCTAssertLessThanOrEqual(changedInRow, 6)
            changed += changedInRow
        }
        XCTAssertEqual(Double(changed) / 2000, 0.6, accuracy: 0.01, "measured corruption fraction")
    }

    /// A one-hot column is replaced as a unit, with its missing indicator.
    func testBlocksMoveAsUnits() {
        let blocks = [FeatureBlock(column: "n", kind: .numeric, start: 0, width: 1, missingIndicator: 1),
                      FeatureBlock(column: "c", kind: .categorical, start: 2, width: 3, missingIndicator: nil)]
        let donors = Matrix(rows: 2, columns: 5, values: [9, 1, 0, 0, 1,
                                                          8, 1, 0, 0, 1])
        let corruptor = MarginalCorruptor(blocks: blocks, corruptionRate: 0.99, pool: donors)
        XCTAssertEqual(corruptor.columnsPerRow, 1)
        var generator = SeededGenerator(seed: 3)
        let row = Matrix(rows: 1, columns: 5, values: [0.5, 0, 1, 0, 0])
        for _ in 0..<20 {
            let out = corruptor.corrupt(row, generator: &generator)
            let numericChanged = out[0, 0] != 0.5
            if numericChanged {
                XCTAssertEqual(out[0, 1], 1, "the indicator follows its column")
                XCTAssertEqual(Array(out.values[2...]), [1, 0, 0])
            } else {
                XCTAssertEqual(Array(out.values[2...]), [0, 0, 1], "the one-hot block is replaced whole")
            }
        }
    }

    /// The draws run in order on the caller and the copies by row blocks on the lanes:
    /// 1 and 3 lanes give the same views and mask, and exactly the masked columns change
    /// (pool values are distinct, so a replaced value always differs).
    func testCorruptionIsTheSameOnAnyLanesAndMatchesItsMask() {
        let (matrix, blocks) = pool(rows: 300, blocks: 40)
        let corruptor = MarginalCorruptor(blocks: blocks, corruptionRate: 0.6, pool: matrix)
        let batch = matrix.gatheringRows(Array(0..<256))
        let saved = Lanes.count
        defer { BLAS.setThreads(saved) }
        var results: [(Matrix, Matrix)] = []
        for lanes in [1, 3] {
            BLAS.setThreads(lanes)
            var generator = SeededGenerator(seed: 6)
            results.append(corruptor.corruptWithMask(batch, generator: &generator))
        }
        XCTAssertEqual(results[0].0, results[1].0)
        XCTAssertEqual(results[0].1, results[1].1)
        let (views, mask) = results[1]
        for row in 0..<256 {
            XCTAssertEqual((0..<40).filter { mask[row, $0] == 1 }.count, 24)
            for column in 0..<40 {
                let replacedByItself = views[row, column] == batch[row, column] && mask[row, column] == 1
                if !replacedByItself {
                    XCTAssertEqual(views[row, column] != batch[row, column], mask[row, column] == 1, "row \(row) column \(column)")
                }
            }
        }
    }

    func testStepComparesEachRowWithItsOwnViewNotItself() throws {
        // Anchor i and positive i come from the same row; the anchors are never the
        // positives (a published implementation compared a view with itself).
        let (matrix, blocks) = pool(rows: 64, blocks: 8)
        let corruptor = MarginalCorruptor(blocks: blocks, corruptionRate: 0.5, pool: matrix)
        var generator = SeededGenerator(seed: 4)
        let views = corruptor.corrupt(matrix, generator: &generator)
        for row in 0..<64 {
            let kept = (0..<8).filter { views[row, $0] == matrix[row, $0] }.count
            XCTAssertGreaterThanOrEqual(kept, 4, "the positive of row \(row) keeps the unchosen columns of row \(row)")
        }
        XCTAssertNotEqual(views, matrix)
        // The step stacks [anchors; views] and InfoNCE pairs row i with row B + i: with each
        // view's embedding equal to its anchor's the loss is low; shuffling the views' rows
        // (same set of embeddings, wrong partners) must raise it. A loss that compared a
        // row with itself would not notice.
        var embeddings = [Float]()
        for _ in 0..<(16 * 8) { embeddings.append(Float(generator.nextNormal())) }
        let anchors = Matrix(rows: 16, columns: 8, values: embeddings)
        let paired = InfoNCE.compute(stacked: Matrix(rows: 32, columns: 8, values: embeddings + embeddings), temperature: 0.5).value
        var shuffled = [Float]()
        for row in 0..<16 { shuffled += (0..<8).map { anchors[(row + 5) % 16, $0] } }
        let mismatched = InfoNCE.compute(stacked: Matrix(rows: 32, columns: 8, values: embeddings + shuffled), temperature: 0.5).value
        XCTAssertLessThan(paired + 1, mismatched, "InfoNCE must pair row i with row B + i")
    }
}

final class ScarfTests: XCTestCase {
    /// An encoder with the same architecture and preprocessing but random weights.
    func untrained(like encoder: PretrainedEncoder, seed: UInt64) throws -> PretrainedEncoder {
        let network = try Network(architecture: encoder.network.architecture, inputDimensions: encoder.network.inputDimensions,
                                  outputDimensions: encoder.network.outputDimensions, seed: seed &+ 1000)
        return PretrainedEncoder(preprocessor: encoder.preprocessor, network: network, config: encoder.config, history: TrainingHistory())
    }

    /// Evidence: at 10% labels, a linear probe on the SCARF-pretrained encoder against a
    /// linear probe on a randomly initialised encoder of the same shape (mean of four
    /// seeds). On wine SCARF is ahead by 0.14 and the test asks for 0.05 (on its 36 test
    /// rows two seeds' mean moved by 0.04 when only the held-out rows were drawn
    /// differently). On breast_cancer the two are level (0.947 against 0.936): with the
    /// probe's inputs standardised (`ProbeStandardization`) random ReLU features are
    /// already as good as a linear model there, so the test asks only that SCARF is not
    /// worse by more than 0.02. (Before standardisation the gaps were 0.17 and 0.12,
    /// mostly the random features' poor scaling.)
    func testLinearProbeOnScarfBeatsLinearProbeOnRandomEncoder() throws {
        for (name, margin) in [("breast_cancer.csv", -0.02), ("wine.csv", 0.05)] {
            let table = try loadTable(name)
            let task = try TaskType.infer(for: table.target!, path: name)
            var scarf = 0.0, random = 0.0
            for seed: UInt64 in 0..<4 {
                var splitConfig = SplitConfig()
                splitConfig.seed = seed
                let split = try DatasetSplit.make(table, task: task, config: splitConfig)
                let encoder = try Pretrainer(config: quickScarf(seed: seed)).fit(table, rows: split.pretraining)
                XCTAssertLessThan(encoder.history.epochs.compactMap(\.validationLoss).min()!,
                                  encoder.history.epochs[0].validationLoss!, "pretraining lowers the validation InfoNCE")
                let classes = try TargetEncoder.fit(table, rows: split.train, task: task).classIndices(table, rows: split.train)
                let budget = try LabelBudgetSampler(rows: split.train, classes: classes, seed: seed).rows(for: .fraction(0.1))
                var probe = FineTuneConfig()
                probe.strategy = .linearProbe
                probe.seed = seed
                let test = table.selecting(rows: split.test)
                let onScarf = try FineTuner(config: probe).fit(encoder: encoder, table: table, rows: budget, validationRows: split.validation)
                let onRandom = try FineTuner(config: probe).fit(encoder: try untrained(like: encoder, seed: seed), table: table,
                                                                rows: budget, validationRows: split.validation)
                scarf += accuracy(try onScarf.predictions(test).predictions.labels, table, rows: split.test) / 4
                random += accuracy(try onRandom.predictions(test).predictions.labels, table, rows: split.test) / 4
            }
            print("\(name): linear probe accuracy, SCARF \(scarf) vs random encoder \(random)")
            XCTAssertGreaterThan(scarf, random + margin, name)
        }
    }

    func testSameSeedSameEncoder() throws {
        let table = try loadTable("wine.csv")
        let a = try Pretrainer(config: quickScarf(seed: 9, epochs: 3)).fit(table)
        let b = try Pretrainer(config: quickScarf(seed: 9, epochs: 3)).fit(table)
        XCTAssertEqual(a.network.store.values, b.network.store.values)
        XCTAssertEqual(try a.transform(table), try b.transform(table))
    }

    func testInvalidSettings() throws {
        let table = try loadTable("wine.csv")
        for mutate in [{ (c: inout PretrainingConfig) in c.corruptionRate = 1.5 }, { (c: inout PretrainingConfig) in c.temperature = 0 },
                       { (c: inout PretrainingConfig) in c.temperature = .nan }, { (c: inout PretrainingConfig) in c.encoderDepth = 1 }] {
            var config = quickScarf(seed: 0)
            mutate(&config)
            XCTAssertThrowsError(try Pretrainer(config: config).fit(table)) { error in
                guard case TrainingError.invalidHyperparameter = error else { return XCTFail("\(error)") }
            }
        }
    }
}

final class TransferTests: XCTestCase {
    let folder: String = {
        let path = NSTemporaryDirectory() + "pretext-transfer-" + UUID().uuidString
        try! FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }()

    override func tearDown() { try? FileManager.default.removeItem(atPath: folder) }

    func testEveryStrategyAndTaskTrainsSavesLoadsAndPredictsIdentically() throws {
        for (name, strategy) in [("penguins.csv", FineTuneConfig.Strategy.full), ("wine.csv", .freezeThenUnfreeze),
                                 ("diabetes.csv", .linearProbe), ("credit_data.csv", .full)] {
            let table = try loadTable(name)
            let encoder = try Pretrainer(config: quickScarf(seed: 1, epochs: 3, width: 32)).fit(table)
            var config = FineTuneConfig()
            config.strategy = strategy
            config.training.maximumEpochs = 5
            config.frozenEpochs = 3
            config.headWidth = 32
            let model = try FineTuner(config: config).fit(encoder: encoder, table: table)
            let path = folder + "/\(name).safetensors"
            try model.save(to: path)
            let loaded = try ModelLoader.loadPredictor(from: path)
            XCTAssertEqual(try loaded.predictions(table).predictions, try model.predictions(table).predictions, name)
            // Columns in another order give the same predictions.
            let shuffled = Table(columns: table.columns.reversed(), source: table.source)
            XCTAssertEqual(try loaded.predictions(shuffled).predictions, try model.predictions(table).predictions, name)
            // The encoder saves and loads on its own too.
            try encoder.save(to: folder + "/encoder.safetensors")
            XCTAssertEqual(try PretrainedEncoder.load(from: folder + "/encoder.safetensors").transform(table), try encoder.transform(table))
        }
    }

    func testFineTuningDoesNotChangeThePretrainedEncoder() throws {
        let table = try loadTable("wine.csv")
        let encoder = try Pretrainer(config: quickScarf(seed: 2, epochs: 2, width: 32)).fit(table)
        let before = encoder.network.store.values
        var config = FineTuneConfig()
        config.training.maximumEpochs = 3
        _ = try FineTuner(config: config).fit(encoder: encoder, table: table)
        XCTAssertEqual(encoder.network.store.values, before)
    }

    /// The "from scratch" control is the fine-tuned network itself: the same preprocessing,
    /// encoder and head layout, at the weights pretraining starts from.
    func testUntrainedEncoderIsPretrainingsStartingPoint() throws {
        let table = try loadTable("wine.csv")
        let pool = Array(0..<150)
        let config = quickScarf(seed: 4, epochs: 3, width: 32)
        let pretrained = try Pretrainer(config: config).fit(table, rows: pool)
        let untrained = try Pretrainer(config: config).untrained(table, rows: pool)
        XCTAssertEqual(untrained.preprocessor, pretrained.preprocessor, "fitted on the same rows")
        XCTAssertEqual(untrained.network.architecture, pretrained.network.architecture)
        XCTAssertEqual(untrained.network.store.values.count, pretrained.network.store.values.count)
        XCTAssertNotEqual(untrained.network.store.values, pretrained.network.store.values, "pretraining moved the weights")
        var seeds = SeededGenerator(seed: config.seed, stream: "scarf")
        let start = try Network(architecture: config.encoderArchitecture, inputDimensions: pretrained.network.inputDimensions,
                                outputDimensions: config.encoderWidth, seed: seeds.next())
        XCTAssertEqual(untrained.network.store.values, start.store.values, "the seeded initialisation pretraining starts from")
        var fineTune = FineTuneConfig()
        fineTune.training.maximumEpochs = 2
        let fromScratch = try FineTuner(config: fineTune).fit(encoder: untrained, table: table, rows: Array(0..<40))
        let fromPretrained = try FineTuner(config: fineTune).fit(encoder: pretrained, table: table, rows: Array(0..<40))
        XCTAssertEqual(fromScratch.encoder.architecture, fromPretrained.encoder.architecture)
        XCTAssertEqual(fromScratch.head.architecture, fromPretrained.head.architecture)
        XCTAssertEqual(fromScratch.head.store.values.count, fromPretrained.head.store.values.count)
    }

    /// Rows outside the pool (the test rows of a comparison) reach neither the
    /// preprocessing nor the corruption donors: editing them leaves the encoder unchanged.
    func testRowsOutsideThePoolDoNotTouchTheEncoder() throws {
        let table = try loadTable("credit_data.csv")
        let split = try DatasetSplit.make(table, task: .binaryClassification)
        let config = quickScarf(seed: 6, epochs: 2, width: 16)
        let encoder = try Pretrainer(config: config).fit(table, rows: split.pretraining)
        var edited = table
        for index in edited.columns.indices {
            switch edited.columns[index].storage {
            case .numeric(var values):
                for row in split.test { values[row] = 1e6 }
                edited.columns[index].storage = .numeric(values)
            case .categorical(var codes, var vocabulary):
                vocabulary.append("never-seen")
                for row in split.test { codes[row] = Int32(vocabulary.count - 1) }
                edited.columns[index].storage = .categorical(codes: codes, vocabulary: vocabulary)
            case .datetime: break
            }
        }
        let again = try Pretrainer(config: config).fit(edited, rows: split.pretraining)
        XCTAssertEqual(again.network.store.values, encoder.network.store.values)
        XCTAssertEqual(try again.transform(table.selecting(rows: split.pretraining)), try encoder.transform(table.selecting(rows: split.pretraining)))
    }

    func testPretrainingUsesUnlabeledRows() throws {
        // Rows with an empty target stay in the pool; fine-tuning ignores them.
        var (table, _) = try CSVReader().read("\(datasetsPath)/wine.csv")
        let target = table.index(of: "target")!
        guard case .categorical(var codes, let vocabulary) = table.columns[target].storage else { return XCTFail() }
        for row in stride(from: 0, to: codes.count, by: 2) { codes[row] = -1 }
        table.columns[target].storage = .categorical(codes: codes, vocabulary: vocabulary)
        try table.setRole(.target, for: "target")
        XCTAssertEqual(table.unlabeledRows.count, 89)
        let encoder = try Pretrainer(config: quickScarf(seed: 3, epochs: 2, width: 32)).fit(table)
        var config = FineTuneConfig()
        config.training.maximumEpochs = 3
        let model = try FineTuner(config: config).fit(encoder: encoder, table: table)
        XCTAssertEqual(try model.predictions(table).predictions.count, 178)
    }
}

final class ReconstructionLossTests: XCTestCase {
    func testGradientCheckWithNumericCategoricalAndIndicatorBlocks() {
        // Layout: numeric (0) + indicator (1), categorical of width 3 (2...4), numeric (5).
        let blocks = [FeatureBlock(column: "a", kind: .numeric, start: 0, width: 1, missingIndicator: 1),
                      FeatureBlock(column: "b", kind: .categorical, start: 2, width: 3, missingIndicator: nil),
                      FeatureBlock(column: "c", kind: .numeric, start: 5, width: 1, missingIndicator: nil)]
        var generator = SeededGenerator(seed: 31)
        let original = Matrix(rows: 4, columns: 6, values: [0.5, 0, 1, 0, 0, -1.2,
                                                            -0.3, 1, 0, 0, 1, 0.4,
                                                            1.1, 0, 0, 1, 0, 0.9,
                                                            0.2, 0, 0, 0, 0, -0.5])   // last row: category missing
        let mask = Matrix(rows: 4, columns: 3, values: [1, 0, 1, 0, 1, 0, 1, 1, 0, 0, 0, 1])
        let output = Matrix(rows: 4, columns: 9, values: (0..<36).map { _ in Float(generator.nextNormal()) })
        let result = ReconstructionLoss.compute(output: output, original: original, mask: mask, blocks: blocks)
        GradientChecker().check("Reconstruction", at: output, analytic: result.gradient) {
            ReconstructionLoss.compute(output: $0, original: original, mask: mask, blocks: blocks).value
        }
        // A perfect reconstruction with confident, correct mask logits scores near zero.
        var perfect = Matrix(rows: 4, columns: 9)
        for row in 0..<4 {
            for column in 0..<6 { perfect[row, column] = original[row, column] * (column >= 2 && column <= 4 ? 30 : 1) }
            for column in 0..<3 { perfect[row, 6 + column] = mask[row, column] > 0 ? 30 : -30 }
        }
        XCTAssertLessThan(ReconstructionLoss.compute(output: perfect, original: original, mask: mask, blocks: blocks).value, 1e-6)
    }
}

final class ObjectiveTests: XCTestCase {
    func testEveryObjectiveLowersItsValidationLossAndRoundTrips() throws {
        let table = try loadTable("breast_cancer.csv")
        let folder = NSTemporaryDirectory() + "pretext-objectives-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        for text in ["vicreg", "reconstruct", "scarf+reconstruct", "scarf+vicreg"] {
            let objective = try XCTUnwrap(PretrainingObjective(parsing: text))
            XCTAssertEqual(objective.description, text)
            var config = quickScarf(seed: 4, epochs: 25, width: 64)
            config.objective = objective
            let encoder = try Pretrainer(config: config).fit(table)
            let losses = encoder.history.epochs.compactMap(\.validationLoss)
            XCTAssertLessThan(losses.min()!, losses[0], "\(text) lowers its validation loss")
            try encoder.save(to: folder + "/\(text).safetensors")
            let loaded = try PretrainedEncoder.load(from: folder + "/\(text).safetensors")
            XCTAssertEqual(loaded.config.objective, objective)
            XCTAssertEqual(try loaded.transform(table), try encoder.transform(table))
        }
        // A last batch of one row (no negatives, no variance) is skipped, not a trap:
        // 569 rows, 57 held out, 512 in batches of 73 leave 1 row.
        for text in ["vicreg", "scarf"] {
            var config = quickScarf(seed: 4, epochs: 2, width: 16)
            config.objective = try XCTUnwrap(PretrainingObjective(parsing: text))
            config.training.batchSize = 73
            XCTAssertEqual(table.rowCount - Int((Double(table.rowCount) * config.validationFraction).rounded()), 7 * 73 + 1)
            let encoder = try Pretrainer(config: config).fit(table)
            XCTAssertEqual(encoder.history.epochs.count, 2)
            XCTAssertTrue(encoder.history.epochs.allSatisfy { $0.trainingLoss.isFinite && $0.trainingLoss > 0 }, text)
        }
        XCTAssertNil(PretrainingObjective(parsing: "simclr"))
        XCTAssertNil(PretrainingObjective(parsing: ""))
        XCTAssertEqual(PretrainingObjective(parsing: "reconstruct+scarf"), [.scarf, .reconstruct])
    }
}

final class TableTransferTests: XCTestCase {
    /// Source: credit_data without `Price`. Target: the same rows, columns reordered,
    /// `Debt` and `Assets` dropped, `Price` and a new `Risk` column added.
    func testAlignsReorderedMissingAndNewColumnsAndRoundTrips() throws {
        var (credit, _) = try CSVReader().read("\(datasetsPath)/credit_data.csv")
        try credit.setRole(.target, for: "target")
        var source = credit
        source.columns.removeAll { $0.name == "Price" }
        let encoder = try Pretrainer(config: quickScarf(seed: 1, epochs: 3, width: 32)).fit(source)

        var target = credit
        target.columns.removeAll { ["Debt", "Assets"].contains($0.name) }
        target.columns.append(Column(name: "Risk", type: .numeric, storage: .numeric((0..<target.rowCount).map { Float($0 % 7) })))
        target.columns.reverse()
        let (moved, alignment) = try TableAlignment.align(encoder, to: target, seed: 3)
        XCTAssertEqual(Set(alignment.missing), ["Debt", "Assets"])
        XCTAssertEqual(Set(alignment.new), ["Price", "Risk"])
        XCTAssertEqual(alignment.matched.count, 10)
        XCTAssertTrue(alignment.description.contains("fed as missing"))
        // The first layer keeps the source weights for the source features.
        let oldWeight = encoder.network.store.views[0], newWeight = moved.network.store.views[0]
        let oldInputs = oldWeight.shape[1], newInputs = newWeight.shape[1]
        XCTAssertEqual(newInputs, oldInputs + 2)
        for row in 0..<4 {
            for column in 0..<oldInputs {
                XCTAssertEqual(moved.network.store.values[newWeight.offset + row * newInputs + column],
                               encoder.network.store.values[oldWeight.offset + row * oldInputs + column])
            }
        }
        // Missing source columns are fed as missing: same as transforming the source
        // table with those columns emptied (for the shared features).
        let embeddings = try moved.transform(target)
        XCTAssertEqual(embeddings.rows, target.rowCount)
        XCTAssertTrue(embeddings.values.allSatisfy(\.isFinite))
        var config = FineTuneConfig()
        config.training.maximumEpochs = 3
        config.headWidth = 16
        let model = try FineTuner(config: config).fit(encoder: moved, table: target)
        let path = NSTemporaryDirectory() + "pretext-transfer-\(UUID().uuidString).safetensors"
        defer { try? FileManager.default.removeItem(atPath: path) }
        try model.save(to: path)
        let loaded = try ModelLoader.loadPredictor(from: path)
        XCTAssertEqual(try loaded.predictions(target).predictions, try model.predictions(target).predictions)
        XCTAssertFalse(loaded.requiredColumns.contains("Debt"), "source-only columns are optional")
    }
}

final class SupervisedPretrainingTests: XCTestCase {
    /// Pretrain on an upstream label (penguins' island), then fine-tune on species with the
    /// upstream column as a new input.
    func testUpstreamLabelPretrainingTransfersToAnotherTarget() throws {
        var upstream = try CSVReader().read("\(datasetsPath)/penguins.csv").table
        try upstream.setRole(.target, for: "island")
        upstream.columns.removeAll { $0.name == "target" }
        var config = quickScarf(seed: 2, epochs: 20, width: 32)
        config.objective = .supervised
        XCTAssertThrowsError(try Pretrainer(config: config).fit(upstream), "SSL pretraining refuses the supervised objective")
        let encoder = try SupervisedPretrainer(config: config).fit(upstream)
        XCTAssertEqual(encoder.config.objective, .supervised)
        XCTAssertFalse(encoder.preprocessor.requiredColumns.contains("island"), "the upstream label is never an input")
        XCTAssertGreaterThan(encoder.history.bestEpoch, 0)

        let downstream = try loadTable("penguins.csv")
        let (moved, alignment) = try TableAlignment.align(encoder, to: downstream)
        XCTAssertEqual(alignment.new, ["island"])
        var fineTune = FineTuneConfig()
        fineTune.training.maximumEpochs = 20
        let model = try FineTuner(config: fineTune).fit(encoder: moved, table: downstream)
        let predictions = try model.predict(downstream)
        XCTAssertEqual(Set(predictions.classNames), ["Adelie", "Chinstrap", "Gentoo"])
        XCTAssertGreaterThan(accuracy(predictions.labels, downstream, rows: Array(0..<downstream.rowCount)), 0.8)
    }
}
