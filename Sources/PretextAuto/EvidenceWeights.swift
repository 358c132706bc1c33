import Foundation
import PretextData
import PretextNN

/// Pseudo-BMA+ weights (Yao, Vehtari, Simpson and Gelman 2018, "Using stacking to average
/// Bayesian predictive distributions", §3.2): each candidate weighted by how well its
/// out-of-fold probabilities predicted the labeled rows, regularised by the Bayesian
/// bootstrap so that rows that cannot tell the candidates apart leave the weights even.
///
/// For candidate m let ℓₘᵢ = log pₘ(yᵢ) be its out-of-fold log probability of row i's
/// class (averaged over the repeats of repeated k-fold, so each labeled row counts once),
/// n the number of rows. Pseudo-BMA weights wₘ ∝ exp(elpdₘ) with elpdₘ = Σᵢ ℓₘᵢ. The "+"
/// draws B Dirichlet(1, …, 1) row weights αᵇ (the Bayesian bootstrap, Rubin 1981), takes
/// elpdₘᵇ = n Σᵢ αᵇᵢ ℓₘᵢ, and averages the softmax over m of each draw:
///
///     wₘ = (1/B) Σ_b exp(elpdₘᵇ) / Σₖ exp(elpdₖᵇ)
///
/// With a dozen rows a candidate that is clearly worse (one predicting the class prior
/// beside candidates that learned something) gets almost no weight, and close ones share
/// it; with thousands of rows the weight goes to the best.
public enum EvidenceWeights {
    /// Draws of the Bayesian bootstrap (the paper's B).
    public static let draws = 1_000

    /// Weights summing to 1, one per member; nil when the members were not predicted on
    /// the same rows in the same order, or there are none.
    public static func pseudoBMAPlus(_ members: [OutOfFoldPredictions], seed: UInt64) -> [Double]? {
        guard let first = members.first, !first.rows.isEmpty,
              members.allSatisfy({ $0.rows == first.rows && $0.labels == first.labels }) else { return nil }
        // Row i of the distinct rows ← every prediction of it (one per repeat).
        var index: [Int: Int] = [:]
        for row in first.rows where index[row] == nil { index[row] = index.count }
        let n = index.count
        // (members, n): mean over repeats of log p(true class), clipped as logLoss clips.
        var logProbability = [[Double]](repeating: [Double](repeating: 0, count: n), count: members.count)
        var counts = [Double](repeating: 0, count: n)
        for row in first.rows { counts[index[row]!] += 1 }
        for (m, member) in members.enumerated() {
            let columns = member.probabilities.columns
            for (position, row) in member.rows.enumerated() {
                let p = Double(member.probabilities.values[position * columns + Int(member.labels[position])])
                logProbability[m][index[row]!] += Foundation.log(max(p, 1e-15))
            }
            for i in 0..<n { logProbability[m][i] /= counts[i] }
        }
        var generator = SeededGenerator(seed: seed, stream: "pseudo-bma+")
        var weights = [Double](repeating: 0, count: members.count)
        var alpha = [Double](repeating: 0, count: n)
        var elpd = [Double](repeating: 0, count: members.count)
        for _ in 0..<draws {
            // Dirichlet(1, …, 1) as normalised standard exponentials.
            var total = 0.0
            for i in 0..<n {
                alpha[i] = -Foundation.log(1 - generator.nextUniform())
                total += alpha[i]
            }
            for m in 0..<members.count {
                var sum = 0.0
                for i in 0..<n { sum += alpha[i] * logProbability[m][i] }
                elpd[m] = Double(n) * sum / total
            }
            let top = elpd.max()!
            let normaliser = elpd.reduce(0) { $0 + Foundation.exp($1 - top) }
            for m in 0..<members.count { weights[m] += Foundation.exp(elpd[m] - top) / normaliser }
        }
        return weights.map { $0 / Double(draws) }
    }
}
