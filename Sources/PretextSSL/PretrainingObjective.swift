/// Which self-supervised objective(s) pretraining minimises. Objectives combine with
/// `+` (e.g. `scarf+reconstruct`); the total loss is the sum of each objective's loss
/// times its weight in `PretrainingConfig`.
public struct PretrainingObjective: OptionSet, Codable, Sendable, Hashable, CustomStringConvertible {
    public let rawValue: Int
    public init(rawValue: Int) { self.rawValue = rawValue }

    /// Sample-contrastive: InfoNCE between a row and its corrupted view (SCARF).
    public static let scarf = PretrainingObjective(rawValue: 1)
    /// Dimension-contrastive: VICReg between a row and its corrupted view.
    public static let vicreg = PretrainingObjective(rawValue: 2)
    /// Self-prediction: reconstruct the row and the corruption mask from the view (VIME).
    public static let reconstruct = PretrainingObjective(rawValue: 4)
    /// Not self-supervised: predict an upstream labeled column (`SupervisedPretrainer`),
    /// which transfers better when such a label exists (Levin et al. 2022).
    public static let supervised = PretrainingObjective(rawValue: 8)

    static let names: [(String, PretrainingObjective)] = [("scarf", .scarf), ("vicreg", .vicreg), ("reconstruct", .reconstruct),
                                                          ("supervised", .supervised)]

    /// Parses `scarf`, `vicreg`, `reconstruct` and `+`-joined combinations.
    public init?(parsing text: String) {
        var objective: PretrainingObjective = []
        for part in text.split(separator: "+") {
            guard let match = Self.names.first(where: { $0.0 == part }) else { return nil }
            objective.insert(match.1)
        }
        guard !objective.isEmpty, !(objective.contains(.supervised) && objective != .supervised) else { return nil }
        self = objective
    }

    public var description: String { Self.names.filter { contains($0.1) }.map(\.0).joined(separator: "+") }

    /// A display name: "SCARF", "VICReg", "reconstruction", joined with "+".
    public var title: String {
        [(PretrainingObjective.scarf, "SCARF"), (.vicreg, "VICReg"), (.reconstruct, "reconstruction"), (.supervised, "supervised")]
            .filter { contains($0.0) }.map(\.1).joined(separator: "+")
    }

    /// Whether a projection head g compares two views.
    var isContrastive: Bool { contains(.scarf) || contains(.vicreg) }
}
