import ArgumentParser
import Foundation
import Pretext

extension LabelEfficiencyExperiment.Method: ExpressibleByArgument {}

struct CompareCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "compare",
        abstract: "Does pretraining help at my label budget? Compare methods over seeds on the same splits.",
        discussion: """
        For each seed: a stratified train/validation/test split, SCARF pretraining once on
        every non-test row, then each method at each label budget on the same nested
        budget rows; test scores as mean ± standard deviation over seeds (Markdown).
        Methods available now: mlp (from scratch), scarf-linear-probe, scarf-full. The
        gradient-boosted-tree and linear baselines and the HTML/JSON reports are not
        implemented yet.

        Examples:
          pretext compare datasets/breast_cancer.csv --target target
          pretext compare datasets/credit_data.csv --target target --labels 1%,5%,100% --seeds 3 --methods mlp,scarf-full
        """
    )

    @Argument(help: "The labeled CSV.") var data: String
    @Option(help: "The label column.") var target: String
    @Option(help: "Comma-separated label budgets.") var labels = "5%,100%"
    @Option(help: "Seeds (each its own split and pretraining).") var seeds = 5
    @Option(help: "Comma-separated methods: mlp, scarf-linear-probe, scarf-full.") var methods = "mlp,scarf-linear-probe,scarf-full"
    @Option(name: .shortAndLong, help: "Also write the Markdown table to this file.") var output: String?
    @Flag(help: "No progress lines on standard error.") var quiet = false
    @Option(help: "Fine-tuning learning rate (Adam), for the SCARF methods and the MLP.") var fineTuneLearningRate: Float = 1e-3
    @OptionGroup var scarf: ScarfOptions
    @OptionGroup var read: ReadOptionsGroup

    func validate() throws {
        guard seeds >= 1 else { throw ValidationError("--seeds must be at least 1 (got \(seeds)).") }
        guard fineTuneLearningRate.isFinite, fineTuneLearningRate > 0 else {
            throw ValidationError("--fine-tune-learning-rate must be a positive number (got \(fineTuneLearningRate)).")
        }
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
                throw ValidationError("unknown method \"\(name)\"; available: \(LabelEfficiencyExperiment.Method.allCases.map(\.rawValue).joined(separator: ", ")).")
            }
            return method
        }
    }

    func run() throws {
        try reportingErrors {
            _ = try loadBLAS(threads: read.threads)
            let (table, _) = try Workflow.readTable(data, target: target, idColumns: [], options: try read.readOptions())
            var configuration = LabelEfficiencyExperiment.Configuration()
            configuration.budgets = try budgets()
            configuration.seeds = seeds
            configuration.methods = try methodList()
            configuration.scarf = scarf.config(seed: 0)
            configuration.fineTune.optimizer.learningRate = fineTuneLearningRate
            configuration.supervised.optimizer.learningRate = fineTuneLearningRate
            let quiet = self.quiet
            let cells = try LabelEfficiencyExperiment(configuration: configuration) { if !quiet { printError($0) } }.run(table)
            let name = (data as NSString).lastPathComponent
            let markdown = LabelEfficiencyExperiment.markdown(cells, dataset: name, budgets: configuration.budgets.map(\.description),
                                                              methods: configuration.methods)
            print(markdown)
            if let output { try AtomicFile.write(Array((markdown + "\n").utf8), to: output) }
        }
    }
}
