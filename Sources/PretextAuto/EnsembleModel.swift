import PretextBaselines
import PretextData
import PretextNN
import PretextTransfer

/// A weighted average of several classifiers' class probabilities,
/// p(y | x) = Σᵢ wᵢ pᵢ(y | x) / Σᵢ wᵢ — what `auto` serves when averaging its best
/// candidates validated better than any one of them (`AutoModel`).
///
/// Each member keeps its own preprocessing and reads the columns it needs from the same
/// table. Members must predict the same classes (they are matched by name, so their order
/// may differ).
public final class EnsembleModel: TabularPredictor {
    public static let kind = "ensemble-model"
    /// Kinds a member may be.
    public static let memberKinds = [TabularModel.kind, "mlp-classifier", GradientBoostedTrees.kind]

    public let members: [TabularPredictor]
    /// What each member is (e.g. "scarf", "xgboost"), for reports.
    public let names: [String]
    public let weights: [Double]
    /// How the ensemble was chosen (`AutoModel`).
    public var choice: ModelChoice?
    public var idColumns: [String] = []

    public init(members: [TabularPredictor], names: [String], weights: [Double]) {
        precondition(!members.isEmpty && members.count == names.count && members.count == weights.count && weights.allSatisfy { $0 > 0 },
                     "EnsembleModel: \(members.count) members, \(names.count) names, weights \(weights)")
        self.members = members
        self.names = names
        self.weights = weights
    }

    public var requiredColumns: [String] {
        var seen = Set<String>()
        return members.flatMap(\.requiredColumns).filter { seen.insert($0).inserted }
    }

    public var targetColumn: String? { members[0].targetColumn }

    public func predictions(_ table: Table) throws -> (predictions: Predictions, report: FittedPreprocessor.TransformReport) {
        let (first, firstReport) = try members[0].predictions(table)
        guard let firstProbabilities = first.probabilities else {
            throw TrainingError.invalidHyperparameter(name: "ensemble member \(names[0])", value: "regression", expected: "a classifier")
        }
        let total = weights.reduce(0, +)
        var values = firstProbabilities.values.map { $0 * Float(weights[0] / total) }
        var report = firstReport
        for index in members.indices.dropFirst() {
            let (predictions, memberReport) = try members[index].predictions(table)
            guard let probabilities = predictions.probabilities, Set(predictions.classNames) == Set(first.classNames),
                  probabilities.rows == firstProbabilities.rows else {
                throw TrainingError.invalidHyperparameter(name: "ensemble member \(names[index])", value: "classes \(predictions.classNames)",
                                                          expected: "the classes \(first.classNames) of \(names[0])")
            }
            let column = predictions.classNames.map { name in first.classNames.firstIndex(of: name)! }
            let share = Float(weights[index] / total)
            for row in 0..<probabilities.rows {
                for (source, target) in column.enumerated() {
                    values[row * firstProbabilities.columns + target] += share * probabilities[row, source]
                }
            }
            report.unknownCategories.merge(memberReport.unknownCategories, uniquingKeysWith: max)
            report.unreadableValues.merge(memberReport.unreadableValues, uniquingKeysWith: max)
        }
        let averaged = Matrix(rows: firstProbabilities.rows, columns: firstProbabilities.columns, values: values)
        return (Predictions(classNames: first.classNames, task: first.task, probabilities: averaged), report)
    }

    // MARK: - Files

    struct Description: Codable {
        struct Member: Codable {
            var name: String
            var weight: Double
            /// The member's own model-file metadata (kind, JSON description, checksum, …);
            /// its tensors are stored under `members.<index>.`.
            var metadata: [String: String]
        }
        var members: [Member]
        var choice: ModelChoice?
        var idColumns: [String]
    }

    /// Writes one model file (`pretext.kind` = `ensemble-model`) holding every member's
    /// complete model file: its tensors under `members.<index>.` and its metadata in the
    /// description. Atomic, as every model file.
    public func save(to path: String) throws {
        var tensors: [SafeTensors.Tensor] = []
        var described: [Description.Member] = []
        for (index, member) in members.enumerated() {
            let file = try Self.modelFile(of: member)
            tensors += file.tensors.map { SafeTensors.Tensor(name: "members.\(index).\($0.name)", shape: $0.shape, values: $0.values) }
            described.append(.init(name: names[index], weight: weights[index], metadata: file.metadata))
        }
        try ModelFile.write(networks: [], tensors: tensors, description: Description(members: described, choice: choice, idColumns: idColumns),
                            kind: Self.kind, to: path)
    }

    public static func load(from path: String) throws -> EnsembleModel {
        let (_, description, file) = try ModelFile.read(from: path, kinds: [kind], as: Description.self)
        guard !description.members.isEmpty, description.members.allSatisfy({ $0.weight > 0 && $0.weight.isFinite }) else {
            throw ModelFileError.corrupt(path: path, reason: "an ensemble needs at least one member, each with a positive weight")
        }
        let members = try description.members.indices.map { index -> TabularPredictor in
            let prefix = "members.\(index)."
            let tensors = file.tensors.filter { $0.name.hasPrefix(prefix) }
                .map { SafeTensors.Tensor(name: String($0.name.dropFirst(prefix.count)), shape: $0.shape, values: $0.values) }
            let memberPath = "\(path) (member \(index + 1), \(description.members[index].name))"
            let memberFile = SafeTensors(tensors: tensors, metadata: description.members[index].metadata)
            switch memberFile.metadata["pretext.kind"] {
            case TabularModel.kind: return try TabularModel.load(memberFile, path: memberPath)
            case "mlp-classifier": return try MLPClassifier.load(memberFile, path: memberPath)
            case GradientBoostedTrees.kind: return try GradientBoostedTrees.load(memberFile, path: memberPath)
            case let other: throw ModelFileError.wrongKind(path: memberPath, found: other ?? "none", expected: memberKinds)
            }
        }
        let model = EnsembleModel(members: members, names: description.members.map(\.name), weights: description.members.map(\.weight))
        model.choice = description.choice
        model.idColumns = description.idColumns
        return model
    }

    private static func modelFile(of member: TabularPredictor) throws -> SafeTensors {
        switch member {
        case let model as TabularModel: return try model.modelFile()
        case let model as MLPClassifier: return try model.modelFile()
        case let model as GradientBoostedTrees: return try model.modelFile()
        default: throw TrainingError.invalidHyperparameter(name: "ensemble member", value: "\(type(of: member))", expected: memberKinds.joined(separator: ", "))
        }
    }
}
