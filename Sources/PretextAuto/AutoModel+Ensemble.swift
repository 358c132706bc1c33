import PretextNN

extension AutoModel {
    /// One validated candidate: its selection loss, what it settled on, the model refit
    /// for serving, and (classification) its out-of-fold probabilities.
    struct Scored {
        var candidate: AutoConfig.Candidate
        var loss: Double
        var detail: String
        var model: AutoChoice
        var outOfFold: OutOfFoldPredictions?
    }

    /// The ensemble `auto` serves instead of a single winner, when there is one.
    struct Ensemble {
        var model: EnsembleModel
        /// Its line in the choice record.
        var candidate: ModelChoice.Candidate
        var reason: String
    }

    /// The best few candidates averaged: under `EnsembleRule.whenBetter` if that validates
    /// better than each alone, under `.always` the `ensembleSize` best, unconditionally.
    ///
    /// Every candidate with out-of-fold probabilities on the same rows (the same folds or
    /// hold-out) is ranked by the log loss of those probabilities, L(P) = −(1/n) Σ log P(yᵢ).
    /// For k = 2 … `ensembleSize` the equal-weight mean of the k best is scored the same
    /// way; the best such k is chosen when its loss is below the best single candidate's.
    /// Equal weights and at most `ensembleSize − 1` tries keep the selection's own
    /// optimism small (no weights are fitted to the out-of-fold rows).
    ///
    /// The losses compared here are all of calibrated probabilities at the chosen epochs,
    /// which is why they differ from the selection losses in the record (the minimum of each
    /// candidate's uncalibrated validation curve).
    func bestEnsemble(_ scored: [Scored], names: [String]) -> Ensemble? {
        guard config.ensembleSize >= 2 else { return nil }
        let usable = scored.indices.filter { scored[$0].outOfFold != nil }
        guard let reference = usable.first.flatMap({ scored[$0].outOfFold }) else { return nil }
        let aligned = usable.filter { scored[$0].outOfFold!.rows == reference.rows && scored[$0].outOfFold!.labels == reference.labels }
        if aligned.count < usable.count {
            log("auto: ensemble left out \(usable.count - aligned.count) candidate(s) validated on other rows")
        }
        let losses = Dictionary(uniqueKeysWithValues: aligned.map { ($0, scored[$0].outOfFold!.logLoss) })
        let ranked = aligned.sorted { losses[$0]! < losses[$1]! || (losses[$0]! == losses[$1]! && $0 < $1) }
        guard ranked.count >= 2 else { return nil }
        let single = (index: ranked[0], loss: losses[ranked[0]]!)
        var best: (members: [Int], weights: [Double], loss: Double)?
        func averageLoss(_ members: [Int], _ weights: [Double]? = nil) -> Double? {
            OutOfFoldPredictions.average(members.map { scored[$0].outOfFold! }, weights: weights ?? Array(repeating: 1, count: members.count))?.logLoss
        }
        switch config.ensembleRule {
        case .always:
            let members = Array(ranked.prefix(config.ensembleSize))
            best = (members, Array(repeating: 1, count: members.count), averageLoss(members) ?? .nan)
        case .evidenceWeighted:
            let members = Array(ranked.prefix(config.ensembleSize))
            if let weights = EvidenceWeights.pseudoBMAPlus(members.map { scored[$0].outOfFold! }, seed: config.seed) {
                // A member whose weight is below a millionth of the largest changes no
                // probability by more than that; it is left out rather than served.
                let floor = 1e-6 * weights.max()!
                let kept = members.indices.filter { weights[$0] >= floor }
                let keptMembers = kept.map { members[$0] }, keptWeights = kept.map { weights[$0] }
                best = (keptMembers, keptWeights, averageLoss(keptMembers, keptWeights) ?? .nan)
            }
        case .whenBetter:
            for k in 2...min(config.ensembleSize, ranked.count) {
                let members = Array(ranked.prefix(k))
                if let loss = averageLoss(members), loss < (best?.loss ?? single.loss) { best = (members, Array(repeating: 1, count: k), loss) }
            }
        }
        guard let best else {
            log("auto: no average of the best candidates beat \(names[single.index]) alone (out-of-fold log loss \(format(single.loss)))")
            return nil
        }
        let memberNames = best.members.map { names[$0] }
        let model = EnsembleModel(members: best.members.map { scored[$0].model.predictor }, names: memberNames, weights: best.weights)
        let total = best.weights.reduce(0, +)
        let combination = config.ensembleRule == .evidenceWeighted
            ? "evidence-weighted average (pseudo-BMA+) of "
                + zip(memberNames, best.weights).map { "\($0) \(String(format: "%.3g", $1 / total))" }.joined(separator: " + ")
            : "equal-weight average of " + memberNames.joined(separator: " + ")
        let detail = combination + "; out-of-fold log loss of calibrated probabilities " + format(best.loss) + ", "
            + best.members.map { "\(names[$0]) alone \(format(losses[$0]!))" }.joined(separator: ", ")
        let reason: String
        switch config.ensembleRule {
        case .always:
            reason = "auto serves the average of its \(best.members.count) best candidates (the rule chosen on development tables, "
                + "results/auto-rule-study); out-of-fold log loss \(format(best.loss)), best single \(names[single.index]) \(format(single.loss))"
        case .evidenceWeighted:
            reason = "auto serves its \(best.members.count) best candidates weighted by their out-of-fold evidence (pseudo-BMA+); "
                + "out-of-fold log loss \(format(best.loss)), best single \(names[single.index]) \(format(single.loss))"
        case .whenBetter:
            reason = "the average of its members' probabilities has a lower out-of-fold log loss (\(format(best.loss))) "
                + "than any single candidate (best: \(names[single.index]), \(format(single.loss)))"
        }
        return Ensemble(model: model, candidate: .init(name: "ensemble", loss: best.loss, detail: detail), reason: reason)
    }

    private func format(_ value: Double) -> String { String(format: "%.4f", value) }
}
