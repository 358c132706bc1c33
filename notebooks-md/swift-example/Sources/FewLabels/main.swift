// Few labels, from Swift: pretrain SCARF on every non-test row of the credit data,
// fine-tune on 5% of the training labels, and compare with the same network trained from
// its initial weights, with tuned XGBoost, and with auto's choice, on the same rows. Epochs can be capped with PRETRAIN_EPOCHS
// and EPOCHS (environment), as in the other walkthroughs.
import Foundation
import Pretext

let environment = ProcessInfo.processInfo.environment
let pretrainEpochs = environment["PRETRAIN_EPOCHS"].flatMap(Int.init) ?? 1000
let epochs = environment["EPOCHS"].flatMap(Int.init) ?? 200

do {
    _ = try BLAS.load()
    var (table, report) = try CSVReader().read("datasets/credit_data.csv")
    try table.setRole(.target, for: "target")
    let task = try TaskType.infer(for: table.target!, path: report.path)
    let split = try DatasetSplit.make(table, task: task)          // seed 0: 70/10/20, stratified
    print("read \(report.rows) rows; \(split.train.count) training rows, \(split.test.count) test rows")

    var pretraining = PretrainingConfig()
    pretraining.training.maximumEpochs = pretrainEpochs
    let encoder = try Pretrainer(config: pretraining).fit(table, rows: split.pretraining)

    let classes = try TargetEncoder.fit(table, rows: split.train, task: task).classIndices(table, rows: split.train)
    let fewLabels = try LabelBudgetSampler(rows: split.train, classes: classes, seed: 0).rows(for: .fraction(0.05))
    print("fine-tuning on \(fewLabels.count) labeled rows")

    var fineTuning = FineTuneConfig()
    fineTuning.training.maximumEpochs = epochs
    fineTuning.epochsWithoutValidation = min(fineTuning.epochsWithoutValidation, epochs)
    let pretrained = try FineTuner(config: fineTuning).fit(encoder: encoder, table: table, rows: fewLabels)

    // The same network from scratch: pretraining's starting point, fine-tuned the same way.
    let untrained = try Pretrainer(config: pretraining).untrained(table, rows: split.pretraining)
    let scratch = try FineTuner(config: fineTuning).fit(encoder: untrained, table: table, rows: fewLabels)
    // Every method fits its preprocessing on the same rows: the features of every non-test row.
    let trees = try GradientBoostedTrees().fit(table, rows: fewLabels, preprocessingRows: split.pretraining)
    // auto: the three kinds, each tuned on the labeled rows alone; the best validation loss wins.
    var auto = AutoConfig()
    auto.pretraining = pretraining
    auto.fineTune = fineTuning
    let chosen = try AutoModel(config: auto).fit(table, rows: fewLabels, pool: split.pretraining, encoder: encoder)

    let test = table.selecting(rows: split.test)
    let truth = split.test.map { table.target!.text(at: $0) }
    for (name, model) in [("SCARF + full fine-tune", pretrained as TabularPredictor), ("Same network, scratch", scratch),
                          ("XGBoost", trees), ("auto: \(chosen.choice?.chosen ?? "?")", chosen.predictor)] {
        let scores = Scores.classification(try model.predictions(test).predictions, truth: truth)
        let label = name.padding(toLength: 24, withPad: " ", startingAt: 0)
        print(label + String(format: "accuracy %.3f  ROC-AUC %.3f", scores.accuracy!, scores.rocAUC!))
    }
    try pretrained.save(to: "few-labels.safetensors")
    print("saved few-labels.safetensors")
} catch {
    FileHandle.standardError.write(Data("error: \(error)\n".utf8))
    exit(1)
}
