import ArgumentParser
import Foundation
import Pretext


struct CompareCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "compare",
        abstract: "Does pretraining help at my label budget? Compare methods over seeds on the same splits.",
        discussion: """
        For each seed: a stratified train/validation/test split, SCARF pretraining once on \
        every non-test row, then each method at each label budget on the same nested \
        budget rows; every method fits its preprocessing on the features of every non-test \
        row. Methods: xgboost (tuned at every budget: 20-trial random search, early \
        stopping on a hold-out, or repeated stratified k-fold cross-validation below 150 \
        rows), linear, scratch (the fine-tuned network itself from its initial weights: \
        what pretraining adds is scarf-full minus scratch), mlp (a separately configured \
        3×256 MLP with dropout), auto (pretext fit's choice, made inside each cell from the \
        budget rows alone), auto-calibrated (auto ranking its candidates by calibrated \
        out-of-fold log loss: under study, not a default), self-training (SCARF with chosen fine-tuning as teacher, then a \
        student on the budget rows and confident, class-balanced pseudo-labels of the \
        unlabeled rows; classification), and <objective>-<strategy> for any pretraining objective \
        (scarf, vicreg, reconstruct, or a +-combination) with any fine-tuning strategy \
        (linear-probe, full, freeze-then-unfreeze), e.g. vicreg-full. Writes report.md, \
        report.html (with a label-efficiency chart) and report.json to the output folder, \
        plus one file per finished cell: running the same command again resumes (cells \
        are reused only for the same data content, settings and code: the same sources \
        for a build stamped by scripts/fresh-build.sh, else the same executable). Verdicts: \
        paired t-tests over seeds, Holm-adjusted across each budget's verdicts. \
        --development sets each seed's test rows aside unread and carves train, validation \
        and test from its other rows: for choosing settings without the test rows of \
        results reported with the same seeds.

        Started by Open MPI's mpirun with several ranks, the grid is shared: per seed, the \
        methods that use one pretrained encoder (or each other method) go to one rank, \
        round-robin; rank 0 gathers every cell and writes the same report as one process.

        Examples:
          pretext compare datasets/breast_cancer.csv --target target
          pretext compare datasets/credit_data.csv --target target --labels \\
              1%,5%,25%,100% --repeats 3 -o credit-report
          pretext compare data.csv --target y --methods xgboost,scarf-full \\
              --baseline-trials 0
          pretext compare datasets/credit_data.csv --target target --labels 5% \\
              --methods \\
              scratch,scarf-full,vicreg-full,reconstruct-full,scarf+reconstruct-full
          pretext compare datasets/credit_data.csv --target target --upstream Home \\
              --methods scratch,scarf-full,supervised-full
          mpirun -np 4 pretext compare big.csv --target y --repeats 8 -o big-report
        """
    )

    @Argument(help: "The labeled CSV (- reads standard input).") var data: String
    @Option(help: "The label column.") var target: String
    @Option(help: "Comma-separated label budgets.") var labels = "1%,5%,25%,100%"
    @OptionGroup var repeats: RepeatsOption
    @Option(help: "Comma-separated methods: xgboost, linear, scratch, mlp, auto, self-training, <objective>-<strategy> (e.g. scarf-full, vicreg-linear-probe).")
    var methods = "xgboost,linear,scratch,scarf-linear-probe,scarf-full"
    @Option(help: "XGBoost random-search trials (0 = XGBoost's defaults only).") var baselineTrials = 20
    @Option(help: "An upstream labeled column for supervised-<strategy> methods (supervised pretraining).") var upstream: String?
    @Option(name: .shortAndLong, help: "Report folder (report.md, report.html, report.json, cells/).") var output = "report"
    @Flag(help: "No progress lines on standard error.") var quiet = false
    @Flag(help: "Evaluate on a development split: each seed's test rows are set aside unread (not even pretrained on).")
    var development = false
    @Flag(help: .hidden) var recordCandidates = false
    @OptionGroup var scarf: ScarfOptions
    @OptionGroup var fineTune: FineTuneTrainingOptions
    @OptionGroup var read: ReadOptionsGroup

    func validate() throws {
        guard baselineTrials >= 0 else { throw ValidationError("--baseline-trials must be 0 or more (got \(baselineTrials)).") }
        _ = try budgets()
        _ = try methodList()
    }

    func budgets() throws -> [LabelBudget] {
        try labels.split(separator: ",").map { text in
            do { return try LabelBudget(parsing: String(text)) } catch let error as DataError { throw ValidationError(error.description) }
        }
    }

    func methodList() throws -> [LabelEfficiencyExperiment.Method] {
        try methods.split(separator: ",").map { name in
            guard let method = LabelEfficiencyExperiment.Method(rawValue: String(name)) else {
                throw ValidationError("unknown method \"\(name)\"; use xgboost, linear, scratch, mlp, auto, self-training or <objective>-<strategy> such as scarf-full or vicreg-linear-probe.")
            }
            return method
        }
    }

    func run() throws {
        try reportingErrors(distributed: true) { communicator in
            _ = try loadBLAS(threads: read.threads)
            let (table, _) = try Workflow.readTable(data, target: target, idColumns: [], options: try read.readOptions())
            var configuration = LabelEfficiencyExperiment.Configuration()
            configuration.budgets = try budgets()
            configuration.seeds = repeats.repeats
            configuration.methods = try methodList()
            configuration.scarf = scarf.config(seed: 0)
            fineTune.apply(to: &configuration.fineTune)
            configuration.supervised.optimizer.learningRate = fineTune.fineTuneLearningRate
            configuration.trees.trials = baselineTrials
            configuration.trees.threads = read.threads
            configuration.cacheDirectory = output + "/cells"
            configuration.split.development = development
            configuration.recordCandidates = recordCandidates
            configuration.upstreamColumn = upstream
            if configuration.methods.contains(where: { $0.objective == .supervised }) && upstream == nil {
                throw ValidationError("supervised-… methods need --upstream COLUMN (the upstream label to pretrain on).")
            }
            let quiet = self.quiet || !communicator.isRoot
            let cells = try LabelEfficiencyExperiment(configuration: configuration, communicator: communicator) {
                if !quiet { printError($0) }
            }.run(table)
            guard communicator.isRoot else { return }
            let report = ComparisonReport(cells: cells, table: table, configuration: configuration)
            try AtomicFile.write(Array(report.markdown().utf8), to: output + "/report.md")
            try AtomicFile.write(Array(report.html().utf8), to: output + "/report.html")
            try AtomicFile.write(try report.json(), to: output + "/report.json")
            print(report.markdown())
            printError("wrote \(output)/report.md, report.html and report.json")
        }
    }
}
