import PretextData

/// Fits a `FittedSupervisedModel` on a table's labeled rows (shared by `MLPClassifier`
/// and `MLPRegressor`).
enum SupervisedTrainer {
    /// `preprocessingRows`: the rows whose features fit the preprocessing (default: the
    /// training rows). No label is read from them.
    static func fit(_ table: Table, rows: [Int]?, validationRows: [Int]?, preprocessingRows: [Int]? = nil, config: SupervisedConfig,
                    requestedTask: TaskType?, progress: ProgressReporter?) throws -> FittedSupervisedModel {
        try config.validate()
        let labeledRows = try LabeledRows(table, rows: rows, validationRows: validationRows, validationFraction: config.validationFraction,
                                          minimumValidationRows: config.minimumValidationRows, seed: config.seed, requestedTask: requestedTask)
        let (task, target, trainRows, validation) = (labeledRows.task, labeledRows.target, labeledRows.train, labeledRows.validation)
        let preprocessor = try Preprocessor(config: config.preprocessing).fit(table, rows: preprocessingRows ?? trainRows)
        let (allFeatures, _) = try preprocessor.transform(table)
        let features = Matrix(rows: allFeatures.rows, columns: allFeatures.columns, values: allFeatures.values)
        let outputs = task.isClassification ? target.classNames.count : 1
        let network = try Network(architecture: config.architecture, inputDimensions: features.columns,
                                  outputDimensions: outputs, seed: SeededGenerator(seed: config.seed, stream: "network").seedValue)

        let x = features.gatheringRows(trainRows)
        let xValidation = features.gatheringRows(validation)
        let objective = try SupervisedObjective(task: task, target: target, table: table, trainRows: trainRows, validationRows: validation,
                                                balanceClasses: config.balanceClasses, classes: outputs)
        var training = config.training
        training.seed = SeededGenerator(seed: config.seed, stream: "trainer").seedValue
        if validation.isEmpty { training = training.withoutValidation(epochs: config.epochsWithoutValidation) }
        let batchesPerEpoch = (trainRows.count + training.batchSize - 1) / training.batchSize
        let optimizer = try Optimizer(config: config.optimizer, totalSteps: batchesPerEpoch * training.maximumEpochs)
        let history = try Trainer(config: training, progress: progress).run(
            rowCount: trainRows.count, stores: [network.store], optimizers: [optimizer],
            step: { batch in
                let output = network.forward(x.gatheringRows(batch), mode: .training)
                let result = objective.loss(output, batch: batch)
                network.accumulateGradients(result.gradient)
                return result.value
            },
            validate: validation.isEmpty ? nil : { objective.validationLoss(network.predict(xValidation)) })
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
