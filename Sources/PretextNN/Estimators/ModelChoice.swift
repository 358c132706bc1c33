/// How a model was chosen among candidates of different kinds (`AutoModel`): every
/// candidate's validation loss, all measured on the same rows (the same cross-validation
/// folds, or the same hold-out), and the winner. Model files keep it, so `predict` users
/// can see what `fit --method auto` weighed.
public struct ModelChoice: Codable, Sendable, Equatable {
    public struct Candidate: Codable, Sendable, Equatable {
        /// e.g. "scarf", "scratch", "xgboost".
        public var name: String
        /// Pooled out-of-fold (or hold-out) loss: log loss for classification, mean
        /// squared error of the standardised target for regression. Lower is better.
        public var loss: Double
        /// What the candidate's own selection settled on (strategy, learning rate,
        /// epochs or rounds, temperature).
        public var detail: String

        public init(name: String, loss: Double, detail: String) {
            self.name = name
            self.loss = loss
            self.detail = detail
        }
    }

    /// How the losses were measured, in words (e.g. "5-fold stratified cross-validation × 2").
    public var validation: String
    public var candidates: [Candidate]
    /// The winner's name.
    public var chosen: String
    /// Why the winner was chosen, when not for the lowest validation loss (an ensemble).
    public var reason: String?

    public init(validation: String, candidates: [Candidate], chosen: String, reason: String? = nil) {
        self.validation = validation
        self.candidates = candidates
        self.chosen = chosen
        self.reason = reason
    }

    /// The candidates as an aligned text table, then the choice and why.
    public var summary: [String] {
        let nameWidth = max(9, candidates.map(\.name.count).max() ?? 0)
        func pad(_ text: String, _ width: Int) -> String { text + String(repeating: " ", count: max(0, width - text.count)) }
        var lines = [pad("candidate", nameWidth) + "  validation loss  chose"]
        for candidate in candidates {
            lines.append(pad(candidate.name, nameWidth) + "  " + pad(String(format: "%.4g", candidate.loss), 15) + "  "
                         + (candidate.name == chosen ? "✓ " : "  ") + candidate.detail)
        }
        lines.append(candidates.isEmpty ? "chose \(chosen): \(validation)"
                     : "chose \(chosen): \(reason ?? "the lowest validation loss"), by \(validation)")
        return lines
    }
}
