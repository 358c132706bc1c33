import PretextData

/// Fits a `FittedSupervisedModel` on a table's labeled rows (shared by `MLPClassifier`
/// and `MLPRegressor`).
enum SupervisedTrainer {
    static func fit(_ table: Table, rows: [Int]?, validationRows: [Int]?, config: SupervisedConfig,
                    requestedTask: TaskType?, progress: ProgressReporter?) throws -> FittedSupervisedModel {
        try config.validate()
        let labeledRows = try LabeledRows(table, rows: rows, validationRows: validationRows, validationFraction: config.validationFraction,
                                          minimumValidationRows: config.minimumValidationRows, seed: config.seed, requestedTask: requestedTask)
        let (task, target, trainRows, validation) = (labeledRows.task, labeledRows.target, labeledRows.train, labeledRows.validation)
        let preprocessor = try Preprocessor(config: config.preprocessing).fit(table, rows: trainRows)
        let (allFeatures, _) = try preprocessor.transform(table)
        let features = Matrix(rows: allFeatures.rows, columns: allFeatures.columns, values: allFeatures.values)
        let outputs = task.isClassification ? target.classNames.count : 1
        let network = try Network(architecture: config.architecture, inputDimensions: features.columns,
                                  outputDimensions: outputs, seed: SeededGenerator(seed: config.seed, stream: "network").seedValue)

        let x = features.gatheringRows(trainRows)
        let xValidation = features.gatheringRows(validation)
        var classLabels: [Int32] = [], validationLabels: [Int32] = []
        var regressionTargets = Matrix(rows: 0, columns: 1), validationTargets = Matrix(rows: 0, columns: 1)
        var classWeights: [Float]? = nil
        if task.isClassification {
            classLabels = try target.classIndices(table, rows: trainRows)
            validationLabels = try target.classIndices(table, rows: validation)
            if config.balanceClasses {
                var counts = [Int](repeating: 0, count: outputs)
                for label in classLabels { counts[Int(label)] += 1 }
                classWeights = counts.map { $0 > 0 ? Float(classLabels.count) / Float(outputs * $0) : 0 }
            }
        } else {
            regressionTargets = Matrix(rows: trainRows.count, columns: 1, values: try target.standardized(table, rows: trainRows))
            validationTargets = Matrix(rows: validation.count, columns: 1, values: try target.standardized(table, rows: validation))
        }
        func loss(_ output: Matrix, _ batch: [Int]?, validationSet: Bool) -> LossResult {
            if task.isClassification {
                let labels = validationSet ? validationLabels : batch!.map { classLabels[$0] }
                return SoftmaxCrossEntropy.compute(logits: output, labels: labels, classWeights: classWeights)
            }
            let targets = validationSet ? validationTargets : regressionTargets.gatheringRows(batch!)
            return MeanSquaredError.compute(predictions: output, targets: targets)
        }
        var training = config.training
        training.seed = SeededGenerator(seed: config.seed, stream: "trainer").seedValue
        if validation.isEmpty { training.maximumEpochs = config.epochsWithoutValidation }
        let batchesPerEpoch = (trainRows.count + training.batchSize - 1) / training.batchSize
        let optimizer = try Optimizer(config: config.optimizer, totalSteps: batchesPerEpoch * training.maximumEpochs)
        let history = try Trainer(config: training, progress: progress).run(
            rowCount: trainRows.count, stores: [network.store], optimizers: [optimizer],
            step: { batch in
                let output = network.forward(x.gatheringRows(batch), mode: .training)
                let result = loss(output, batch, validationSet: false)
                network.backward(result.gradient)
                return result.value
            },
            validate: validation.isEmpty ? nil : { loss(network.predict(xValidation), nil, validationSet: true).value })
        return FittedSupervisedModel(config: config, preprocessor: preprocessor, target: target, network: network, history: history)
    }
}

extension SeededGenerator {
    /// A 64-bit seed drawn from this generator (for seeding a sub-component).
    var seedValue: UInt64 {
        var copy = self
        return copy.next()
    }
}
