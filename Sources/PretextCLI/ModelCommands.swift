import ArgumentParser
import Pretext

struct PretrainCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pretrain",
        abstract: "Pretrain an encoder with SCARF on every row (labeled or not) and save it.",
        discussion: """
        The pool is every row of DATA — rows with an empty target included — plus every \
        row of each --unlabeled file (same columns, any order). The target column is \
        never an input. DATA may be a cache (pretext cache): then, without --unlabeled \
        files, pretraining streams it and never holds the table — preprocessing fitted \
        in one pass; up to --window-mb of features the training rows are held (the same \
        model as from the CSV), above that each epoch reads the file in order a window \
        at a time (shuffled blocks of rows, rows shuffled within the window, corruption \
        donors drawn from it). With --objective supervised, the encoder is instead trained to \
        predict --target (an upstream label) and fine-tuned later on another label or \
        table. Progress (epoch, loss, rows/s, ETA) goes to standard error.

        Started by Open MPI's mpirun with several ranks, self-supervised pretraining runs \
        data-parallel: every rank reads DATA, computes its part of each global batch, and \
        the gradients are summed (MPI_Allreduce); the same seed and batch size give the \
        same encoder on any number of ranks, up to the order of floating-point sums. From \
        a cache, each rank instead reads only its own shard of the rows and draws \
        corruption donors from it: an encoder as good as one process's, not the same one. \
        Rank 0 alone writes the file and reports.

        Examples:
          pretext pretrain datasets/credit_data.csv --target target -o \\
              encoder.safetensors
          pretext pretrain train.csv --target label --unlabeled more.csv --unlabeled \\
              more2.csv -o enc.safetensors
          pretext pretrain source.csv --target upstream_label --objective supervised \\
              -o enc.safetensors
          mpirun -np 2 pretext pretrain big.csv --target label -o enc.safetensors
        """
    )

    @Argument(help: "The training CSV (- reads standard input).") var data: String
    @Option(help: "The label column (excluded from the inputs).") var target: String?
    @Option(help: "An extra CSV of unlabeled rows with the same columns (repeatable).") var unlabeled: [String] = []
    @Option(help: "An identifier column, never an input (repeatable).") var id: [String] = []
    @Option(name: .shortAndLong, help: "Where to write the encoder (.safetensors).") var output: String
    @Option(help: "Pretraining objective: scarf, vicreg, reconstruct, a combination such as scarf+reconstruct, or supervised (predict --target, an upstream label).")
    var objective = "scarf"
    @Option(help: "Pretraining a cache: megabytes of features held at a time (two windows at most).")
    var windowMb = 64
    @OptionGroup var scarf: ScarfOptions
    @OptionGroup var runOptions: RunOptions
    @OptionGroup var read: ReadOptionsGroup

    func validate() throws {
        guard windowMb >= 1 else { throw ValidationError("--window-mb must be at least 1 (megabytes), got \(windowMb).") }
        guard PretrainingObjective(parsing: objective) != nil else {
            throw ValidationError("unknown --objective \"\(objective)\"; use scarf, vicreg, reconstruct, a +-joined combination, or supervised.")
        }
        if objective == "supervised" && target == nil { throw ValidationError("--objective supervised needs --target (the upstream label).") }
    }

    func run() throws {
        try reportingErrors(distributed: true) { communicator in
            _ = try loadBLAS(threads: read.threads)
            let options = try read.readOptions()
            var config = scarf.config(seed: runOptions.seed)
            config.objective = PretrainingObjective(parsing: objective) ?? .scarf
            if TableFile.isCache(data) && unlabeled.isEmpty && config.objective != .supervised {
                // A cache streams: batches are gathered from it, the table is never held.
                let (encoder, rows) = try Workflow.pretrain(cache: data, excluding: [target].compactMap { $0 } + id, options: options, config: config,
                                                    windowBytes: windowMb * 1_000_000,
                                                    progress: ProgressReporter(label: "pretrain epoch", quiet: runOptions.quiet),
                                                    communicator: communicator)
                guard communicator.isRoot else { return }
                try encoder.save(to: output)
                if communicator.size > 1 {
                    printError(communicator.summary)
                    printError("each of \(communicator.size) ranks read only its own shard of the training rows (about \(rows / communicator.size)) and drew corruption donors from it")
                }
                printError("pretrained on \(rows) rows streamed from the cache for \(encoder.history.epochs.count) epochs"
                           + (MemoryStats.peakResidentBytes().map { "; peak memory \($0 / 1_000_000) MB" } ?? ""))
                print("wrote \(output)")
                return
            }
            let (table, _) = try Workflow.readTable(data, target: target, idColumns: id, options: options)
            let pool = try Workflow.pool(table, unlabeledFiles: unlabeled, options: options)
            let encoder = try Workflow.pretrain(pool, config: config,
                                                progress: ProgressReporter(label: "pretrain epoch", quiet: runOptions.quiet),
                                                communicator: communicator)
            guard communicator.isRoot else { return }
            if communicator.size > 1 { printError(communicator.summary) }
            try encoder.save(to: output)
            let best = encoder.history.epochs.first { $0.epoch == encoder.history.bestEpoch }?.validationLoss
            printError("pretrained on \(pool.rowCount) rows for \(encoder.history.epochs.count) epochs"
                       + (best.map { "; best validation InfoNCE \(Trainer.format($0)) at epoch \(encoder.history.bestEpoch)" } ?? ""))
            print("wrote \(output)")
        }
    }
}

struct FinetuneCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "finetune",
        abstract: "Fine-tune a pretrained encoder on labeled rows and save the model.",
        discussion: """
        Uses the labeled rows of DATA (or --labels of them: "5%" or "100", nested across \
        budgets for one seed, at least one per class). Early stopping uses a stratified \
        hold-out of those rows when it has at least 30 rows; with fewer, all rows train \
        for a fixed number of epochs. The encoder may come from another table: columns are \
        matched by name, source columns missing here are fed as missing, and new columns \
        get fresh input weights (a report of what was matched is printed). DATA may be a \
        cache (pretext cache): then the labeled rows are streamed — held when their \
        features (for a linear probe, their embeddings) fit in --window-mb (the same model \
        as from the CSV), else read a window at a time each epoch, their labels read from \
        the cache batch by batch and the hold-out capped at 20,000 rows, so memory does not \
        grow with the rows. --labels on a cache holds the labeled rows' targets to draw them.

        Examples:
          pretext finetune datasets/credit_data.csv --target target --encoder \\
              encoder.safetensors -o model.safetensors
          pretext finetune train.csv --target label --encoder enc.safetensors \\
              --labels 5% --strategy linear-probe -o m.safetensors
        """
    )

    @Argument(help: "The labeled CSV (- reads standard input) or a cache.") var data: String
    @Option(help: "The label column.") var target: String
    @Option(help: "The pretrained encoder (.safetensors from pretext pretrain).") var encoder: String
    @Option(help: "An identifier column, passed through to predictions (repeatable).") var id: [String] = []
    @Option(name: .shortAndLong, help: "Where to write the model (.safetensors).") var output: String
    @Option(help: "Fine-tuning a cache: megabytes of training features held at a time (two windows at most).")
    var windowMb = 64
    @OptionGroup var fineTune: FineTuneOptions
    @OptionGroup var runOptions: RunOptions
    @OptionGroup var read: ReadOptionsGroup

    func validate() throws {
        guard windowMb >= 1 else { throw ValidationError("--window-mb must be at least 1 (megabytes), got \(windowMb).") }
    }

    func run() throws {
        try reportingErrors(distributed: true) { communicator in
            _ = try loadBLAS(threads: read.threads)
            if TableFile.isCache(data) { return try runOnCache(communicator) }
            let table = try Workflow.readTable(data, target: target, idColumns: id, options: try read.readOptions()).0
            let rows = try Workflow.budgetRows(table, budget: try fineTune.labels.map(fineTune.budget), seed: runOptions.seed)
            // An encoder pretrained on another table: align its columns by name.
            let (pretrained, alignment) = try TableAlignment.align(try PretrainedEncoder.load(from: encoder), to: table,
                                                                   seed: runOptions.seed)
            if communicator.isRoot && (!alignment.missing.isEmpty || !alignment.new.isEmpty) {
                printError("columns: " + alignment.description.replacingOccurrences(of: "\n", with: "\ncolumns: "))
            }
            try Workflow.fineTuneAndSave(pretrained, table: table, rows: rows, config: fineTune.config(seed: runOptions.seed),
                                         idColumns: id, to: output,
                                         progress: ProgressReporter(label: "fine-tune epoch", quiet: runOptions.quiet),
                                         communicator: communicator)
            guard communicator.isRoot else { return }
            if communicator.size > 1 { printError(communicator.summary) }
            printError("fine-tuned (\(fineTune.strategy.rawValue)) on \(rows.count) labeled rows")
            print("wrote \(output)")
        }
    }

    /// Fine-tuning streamed from a cache (`Workflow.fineTuneAndSave(_:cache:…)`).
    private func runOnCache(_ communicator: Communicator) throws {
        let (_, alignment, rows) = try Workflow.fineTuneAndSave(
            try PretrainedEncoder.load(from: encoder), cache: data, target: target, idColumns: id,
            budget: try fineTune.labels.map(fineTune.budget), options: try read.readOptions(), config: fineTune.config(seed: runOptions.seed),
            windowBytes: windowMb * 1_000_000, seed: runOptions.seed, to: output,
            progress: ProgressReporter(label: "fine-tune epoch", quiet: runOptions.quiet), communicator: communicator)
        guard communicator.isRoot else { return }
        if !alignment.missing.isEmpty || !alignment.new.isEmpty {
            printError("columns: " + alignment.description.replacingOccurrences(of: "\n", with: "\ncolumns: "))
        }
        if communicator.size > 1 { printError(communicator.summary) }
        printError("fine-tuned (\(fineTune.strategy.rawValue)) on \(rows) labeled rows streamed from the cache")
        if let peak = MemoryStats.peakResidentBytes() { printError("peak memory \(peak / 1_000_000) MB (resident, with the cache pages read)") }
        print("wrote \(output)")
    }
}

struct FitCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fit",
        abstract: "Train a model and save it: the best of SCARF, the same network from scratch, XGBoost and a linear model (default), or one of them.",
        discussion: """
        --method auto (default): SCARF pretraining on every row (and --unlabeled files), \
        then five candidates tuned on the labeled rows alone — SCARF with the fine-tuning \
        strategy, learning rate and epochs chosen by validation and calibrated, SCARF plus \
        one round of self-training on the unlabeled rows' confident pseudo-labels \
        (classification), the same network from its initial weights, tuned XGBoost and the \
        linear model — each scored on the same \
        folds (repeated stratified k-fold cross-validation up to 1,000 labeled rows, a \
        hold-out above). The lowest validation log loss wins — or, for classification, the \
        average of the best two or three (--ensemble-size) when its out-of-fold log loss is \
        lower than every single candidate's; fit prints every score. --method \
        scarf: pretext pretrain followed by pretext finetune, with the same defaults. \
        --method xgboost | mlp | linear: the baselines pretext compare uses, trained on the \
        labeled rows. Every model predicts new CSVs with pretext predict. Started by Open \
        MPI's mpirun with several ranks, auto and scarf pretrain data-parallel (scarf \
        fine-tunes so too); the label-side selection runs whole on every rank. DATA may \
        be a cache (pretext cache): pretraining streams all of it, and the rest learns \
        from its labeled rows plus a seeded sample of at most 100,000 unlabeled rows \
        (the baselines' preprocessing, self-training's pseudo-labels).

        Examples:
          pretext fit datasets/credit_data.csv --target target -o model.safetensors
          pretext fit train.csv --target label --unlabeled extra.csv --labels 10% \\
              --id customer_id -o model.safetensors
          pretext fit datasets/credit_data.csv --target target --method xgboost -o \\
              trees.safetensors
        """
    )

    @Argument(help: "The training CSV (rows with an empty target are used for pretraining only; - reads standard input) or a cache.") var data: String
    @Option(help: "The label column.") var target: String
    @Option(help: "An extra CSV of unlabeled rows with the same columns (repeatable).") var unlabeled: [String] = []
    @Option(help: "An identifier column, passed through to predictions (repeatable).") var id: [String] = []
    @Option(name: .shortAndLong, help: "Where to write the model (.safetensors).") var output: String
    @Option(help: "auto (choose by validation), scarf (pretrain + fine-tune), self-training, xgboost, mlp or linear.") var method: FitMethod = .auto
    @Option(help: "XGBoost random-search trials (--method xgboost).") var baselineTrials = 20
    @Option(help: "--method auto, classification: how many of the best candidates to average (1: never; default 5, every candidate).")
    var ensembleSize: Int?
    @Option(help: "--method auto, classification: evidence-weighted (the --ensemble-size best weighted by their out-of-fold evidence, pseudo-BMA+; the default), always (their equal-weight average) or when-better (an equal-weight average only when it validates better than each alone).")
    var ensembleRule: AutoConfig.EnsembleRule?
    @OptionGroup var objective: ObjectiveOption
    @OptionGroup var scarf: ScarfOptions
    @OptionGroup var fineTune: FineTuneOptions
    @OptionGroup var runOptions: RunOptions
    @OptionGroup var read: ReadOptionsGroup

    enum FitMethod: String, ExpressibleByArgument, CaseIterable { case auto, scarf, selfTraining = "self-training", xgboost, mlp, linear }

    func validate() throws {
        if ensembleRule != nil && method != .auto {
            throw ValidationError("--ensemble-rule is read by --method auto; --method \(method.rawValue) does not use it.")
        }
        if let ensembleSize {
            guard method == .auto else { throw ValidationError("--ensemble-size is read by --method auto; --method \(method.rawValue) does not use it.") }
            guard ensembleSize >= 1 else { throw ValidationError("--ensemble-size must be at least 1 (1: never average); got \(ensembleSize).") }
        }
    }

    func run() throws {
        try reportingErrors(distributed: true) { communicator in
            if communicator.size > 1 && [.xgboost, .mlp, .linear].contains(method) {
                throw DistributedError.unsupported("`pretext fit --method \(method.rawValue)` (it pretrains nothing)")
            }
            _ = try loadBLAS(threads: read.threads)
            let options = try read.readOptions()
            // A cache (without --unlabeled files): pretraining streams all of it; the rest
            // learns from its labeled rows and a sample of its unlabeled ones.
            let streamed = TableFile.isCache(data) && unlabeled.isEmpty
            var table: Table
            var encoder: PretrainedEncoder?
            if streamed {
                let sample: Int, cacheRows: Int
                (table, sample, cacheRows) = try Workflow.fitTable(cache: data, target: target, idColumns: id, options: options, seed: runOptions.seed)
                if [.auto, .selfTraining, .scarf].contains(method) {
                    var pretraining = scarf.config(seed: runOptions.seed)
                    pretraining.objective = objective.parsed
                    encoder = try Workflow.pretrain(cache: data, excluding: [target] + id, options: options, config: pretraining,
                                                    progress: ProgressReporter(label: "pretrain epoch", quiet: runOptions.quiet || !communicator.isRoot),
                                                    communicator: communicator).0
                }
                if communicator.isRoot {
                    printError("cache: \(encoder == nil ? "" : "pretrained on all \(cacheRows) rows, streamed; ")the rest learns from its \(table.rowCount - sample) labeled rows"
                               + " and a sample of \(sample) unlabeled rows (preprocessing of the baselines, self-training)")
                }
            } else {
                table = try Workflow.readTable(data, target: target, idColumns: id, options: options).0
            }
            if method == .auto || method == .selfTraining {
                let pool = try Workflow.pool(table, unlabeledFiles: unlabeled, options: options)
                let rows = try Workflow.budgetRows(table, budget: try fineTune.labels.map(fineTune.budget), seed: runOptions.seed)
                var config = AutoConfig()
                if method == .selfTraining { config.candidates = [.selfTraining] }
                config.pretraining = scarf.config(seed: runOptions.seed)
                config.pretraining.objective = objective.parsed
                config.fineTune = fineTune.config(seed: runOptions.seed)
                config.trees.trials = baselineTrials
                config.trees.threads = read.threads
                config.seed = runOptions.seed
                if let ensembleSize { config.ensembleSize = ensembleSize }
                if let ensembleRule { config.ensembleRule = ensembleRule }
                let quiet = runOptions.quiet || !communicator.isRoot
                var auto = AutoModel(config: config, pretrainingProgress: ProgressReporter(label: "pretrain epoch", quiet: quiet)) {
                    if !quiet { printError($0) }
                }
                auto.communicator = communicator
                let chosen = try auto.fit(pool, rows: rows, encoder: encoder)
                guard communicator.isRoot else { return }
                if communicator.size > 1 { printError(communicator.summary) }
                try chosen.save(to: output, idColumns: id)
                for line in chosen.choice?.summary ?? [] { print(line) }
                printError("pretrained on \(streamed ? "the cache" : "\(pool.rowCount) rows"); chose among candidates on \(rows.count) labeled rows")
                print("wrote \(output)")
                return
            }
            if method != .scarf {
                let rows = try Workflow.budgetRows(table, budget: try fineTune.labels.map(fineTune.budget), seed: runOptions.seed)
                switch method {
                case .xgboost:
                    var config = GradientBoostedTreesConfig()
                    config.trials = baselineTrials
                    config.seed = runOptions.seed
                    config.threads = read.threads
                    let model = try GradientBoostedTrees(config: config).fit(table, rows: rows)
                    model.idColumns = id
                    try model.save(to: output)
                case .mlp, .linear:
                    var config = method == .linear ? SupervisedConfig.linearModel : SupervisedConfig()
                    config.seed = runOptions.seed
                    let progress = ProgressReporter(label: "epoch", quiet: runOptions.quiet)
                    if try TaskType.infer(for: table.target!, path: table.source).isClassification {
                        try MLPClassifier(config: config, progress: progress).fit(table, rows: rows).save(to: output)
                    } else {
                        try MLPRegressor(config: config, progress: progress).fit(table, rows: rows).save(to: output)
                    }
                case .scarf, .auto, .selfTraining:
                    break
                }
                printError("trained \(method.rawValue) on \(rows.count) labeled rows")
                print("wrote \(output)")
                return
            }
            let pool = try Workflow.pool(table, unlabeledFiles: unlabeled, options: options)
            let rows = try Workflow.budgetRows(table, budget: try fineTune.labels.map(fineTune.budget), seed: runOptions.seed)
            var pretraining = scarf.config(seed: runOptions.seed)
            pretraining.objective = objective.parsed
            let pretrained = try encoder ?? Pretrainer(config: pretraining, progress: ProgressReporter(label: "pretrain epoch", quiet: runOptions.quiet),
                                                       communicator: communicator).fit(pool)
            try Workflow.fineTuneAndSave(pretrained, table: table, rows: rows, config: fineTune.config(seed: runOptions.seed),
                                         idColumns: id, to: output,
                                         progress: ProgressReporter(label: "fine-tune epoch", quiet: runOptions.quiet),
                                         communicator: communicator)
            guard communicator.isRoot else { return }
            if communicator.size > 1 { printError(communicator.summary) }
            printError("pretrained on \(streamed ? "the cache" : "\(pool.rowCount) rows"), fine-tuned (\(fineTune.strategy.rawValue)) on \(rows.count) labeled rows")
            print("wrote \(output)")
        }
    }
}

struct PredictCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "predict",
        abstract: "Predict every row of a CSV with a saved model; write a predictions CSV.",
        discussion: """
        INPUT may lack the target. Columns are matched by name in any order; missing \
        model columns are an error that lists them; extra columns are ignored with a note; \
        categories unseen in training go to the unknown bucket with a count. Output: the \
        id columns, `prediction`, and for classification one `probability_<class>` per \
        class. `-o -` writes to standard output. The file is written atomically. A cache \
        (pretext cache) is predicted a chunk of rows at a time, so neither the table nor \
        the predictions are held in memory.

        Examples:
          pretext predict model.safetensors new.csv -o predictions.csv
          pretext predict model.safetensors new.csv --id customer_id -o - | head
        """
    )

    @Argument(help: "A model file from pretext fit or finetune.") var model: String
    @Argument(help: "The CSV to predict (- reads standard input) or a cache.") var input: String
    @Option(help: "An identifier column to pass through (repeatable; the model's own are included).") var id: [String] = []
    @Option(name: .shortAndLong, help: "Where to write predictions (- for standard output).") var output: String
    @OptionGroup var read: ReadOptionsGroup

    func run() throws {
        try reportingErrors {
            _ = try loadBLAS(threads: read.threads)
            let predictor = try ModelLoader.loadPredictor(from: model)
            if TableFile.isCache(input) {
                // A cache is predicted a chunk at a time; neither it nor the output is held.
                let (rows, notes) = try Workflow.predict(predictor, cache: input, idColumns: id, options: try read.readOptions(), to: output,
                                                         progress: ProgressReporter(label: "predict chunk", quiet: output == "-"))
                for note in notes { printError("note: \(note)") }
                if output != "-" { printError("wrote \(rows) predictions to \(output)") }
                return
            }
            let (table, _) = try Workflow.readTable(input, target: nil, idColumns: [], options: try read.readOptions())
            let (csv, notes) = try Workflow.predict(predictor, table: table, idColumns: id)
            for note in notes { printError("note: \(note)") }
            try csv.write(to: output)
            if output != "-" { printError("wrote \(csv.rowCount) predictions to \(output)") }
        }
    }
}

struct EmbedCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "embed",
        abstract: "Write the learned representation of every row, for use in other tools.",
        discussion: """
        Accepts an encoder (pretext pretrain), a fine-tuned model (its encoder part) or a \
        MiniRocket series classifier (its 9,996 fixed features per series — one row per \
        series, for another model to learn from). Output: the id columns, then \
        embedding_0 … embedding_{D-1}. A cache (pretext cache) is embedded a chunk of rows \
        at a time with an encoder or fine-tuned model, so neither the table nor the \
        embeddings are held in memory; the file is written atomically.

        Examples:
          pretext embed encoder.safetensors datasets/credit_data.csv -o embeddings.csv
          pretext embed model.safetensors new.csv --id customer_id -o -
          pretext embed motions.safetensors datasets/basic_motions_test.csv -o \\
              features.csv
        """
    )

    @Argument(help: "An encoder or model file.") var model: String
    @Argument(help: "The CSV to embed (- reads standard input) or a cache.") var input: String
    @Option(help: "An identifier column to pass through (repeatable).") var id: [String] = []
    @Option(name: .shortAndLong, help: "Where to write embeddings (- for standard output).") var output: String
    @OptionGroup var read: ReadOptionsGroup

    func run() throws {
        try reportingErrors {
            _ = try loadBLAS(threads: read.threads)
            if TableFile.isCache(input), [PretrainedEncoder.kind, TabularModel.kind].contains(try ModelFile.kind(of: model)) {
                // A cache is embedded a chunk at a time; neither it nor the output is held.
                let (rows, columns) = try Workflow.embed(modelPath: model, cache: input, idColumns: id, options: try read.readOptions(), to: output,
                                                         progress: ProgressReporter(label: "embed chunk", quiet: output == "-"))
                if output != "-" { printError("wrote \(rows) × \(columns) embeddings to \(output)") }
                return
            }
            let (table, _) = try Workflow.readTable(input, target: nil, idColumns: [], options: try read.readOptions())
            let (embeddings, rows, modelIDs) = try ModelLoader.embeddings(modelPath: model, table: table)
            try Workflow.embed(embeddings, table: rows, idColumns: modelIDs + id.filter { !modelIDs.contains($0) }).write(to: output)
            if output != "-" { printError("wrote \(embeddings.rows) × \(embeddings.columns) embeddings to \(output)") }
        }
    }
}

extension AutoConfig.EnsembleRule: ExpressibleByArgument {}
