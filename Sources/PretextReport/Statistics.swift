import Foundation

/// Small-sample statistics for comparing methods over seeds.
public enum Statistics {
    /// The paired t-test of mean(a − b) over matched pairs (the same seed's split for two
    /// methods), as SciPy's `ttest_rel`: with dᵢ = aᵢ − bᵢ, t = d̄ / (s_d / √n) on n − 1
    /// degrees of freedom, two-sided p.
    ///
    /// When the differences do not vary (s_d = 0), t is undefined; then p is 1 if they
    /// are all 0, and otherwise the exact two-sided sign test's 2^(1−n) (every one of n
    /// differences has the same sign) — never 0: n seeds cannot give more certainty than
    /// that. With fewer than two pairs p is 1.
    public static func pairedT(_ a: [Double], _ b: [Double]) -> (t: Double, degreesOfFreedom: Double, p: Double) {
        precondition(a.count == b.count, "paired samples need the same length")
        guard a.count >= 2 else { return (0, 0, 1) }
        let differences = zip(a, b).map { $0 - $1 }
        let summary = Summary(differences)
        let n = Double(differences.count)
        guard summary.standardDeviation > 0 else {
            if summary.mean == 0 { return (0, n - 1, 1) }
            return (summary.mean > 0 ? .infinity : -.infinity, n - 1, pow(2, 1 - n))
        }
        let t = summary.mean / (summary.standardDeviation / n.squareRoot())
        return (t, n - 1, twoSidedP(t: t, degreesOfFreedom: n - 1))
    }

    /// Holm's step-down adjustment of p-values for m tests made together (Holm 1979):
    /// with p₍₁₎ ≤ … ≤ p₍ₘ₎, the adjusted p₍ᵢ₎ = maxⱼ≤ᵢ min(1, (m − j + 1) p₍ⱼ₎). Rejecting
    /// where the adjusted p < α keeps the chance of any false win or loss ≤ α. Returned
    /// in the given order.
    public static func holm(_ p: [Double]) -> [Double] {
        let order = p.indices.sorted { p[$0] < p[$1] }
        var adjusted = [Double](repeating: 1, count: p.count)
        var running = 0.0
        for (rank, index) in order.enumerated() {
            running = max(running, min(1, Double(p.count - rank) * p[index]))
            adjusted[index] = running
        }
        return adjusted
    }

    /// The outcome of comparing a method with a reference on matched seeds.
    public struct PairedVerdict: Sendable, Equatable {
        /// "win", "tie" or "loss" for the method; "untested" with fewer than two pairs.
        public var outcome: String
        /// Mean of the per-seed differences method − reference, and their standard deviation.
        public var difference: Double
        public var differenceDeviation: Double
        /// `pairedT`'s p, and Holm's adjustment over every comparison made together.
        public var p: Double
        public var adjustedP: Double
    }

    /// Verdicts for several comparisons made together (e.g. every method against two
    /// references at one label budget): each by `pairedT` on its matched pairs
    /// (method, reference), then `holm` over all of them; a difference counts where the
    /// adjusted p < `alpha`. `higherIsBetter` sets which sign is a win.
    public static func pairedVerdicts(_ comparisons: [(method: [Double], reference: [Double])], higherIsBetter: Bool = true,
                                      alpha: Double = 0.05) -> [PairedVerdict] {
        let tests = comparisons.map { pairedT($0.method, $0.reference) }
        let adjusted = holm(tests.map(\.p))
        return comparisons.indices.map { index in
            let (method, reference) = comparisons[index]
            let differences = zip(method, reference).map { $0 - $1 }
            let summary = Summary(differences)
            let better = higherIsBetter ? summary.mean > 0 : summary.mean < 0
            let outcome = differences.count < 2 ? "untested" : adjusted[index] < alpha ? (better ? "win" : "loss") : "tie"
            return PairedVerdict(outcome: outcome, difference: summary.mean, differenceDeviation: summary.standardDeviation,
                                 p: tests[index].p, adjustedP: adjusted[index])
        }
    }

    /// P(|T| ≥ |t|) for Student's t with ν degrees of freedom: I_{ν/(ν+t²)}(ν/2, ½).
    public static func twoSidedP(t: Double, degreesOfFreedom nu: Double) -> Double {
        regularizedIncompleteBeta(x: nu / (nu + t * t), a: nu / 2, b: 0.5)
    }

    /// Half-width of the 95% confidence interval of the mean: t₀.₉₇₅,ₙ₋₁ · s / √n.
    public static func confidenceHalfWidth(_ values: [Double]) -> Double {
        guard values.count >= 2 else { return 0 }
        let summary = Summary(values)
        let nu = Double(values.count - 1)
        // Solve twoSidedP(t) = 0.05 by bisection (p falls as t grows).
        var low = 0.0, high = 1000.0
        for _ in 0..<200 {
            let middle = (low + high) / 2
            if twoSidedP(t: middle, degreesOfFreedom: nu) > 0.05 { low = middle } else { high = middle }
        }
        return (low + high) / 2 * summary.standardDeviation / Double(values.count).squareRoot()
    }

    /// I_x(a, b) by the continued fraction of Numerical Recipes (Lentz's method), using the
    /// symmetry I_x(a, b) = 1 − I_{1−x}(b, a) where it converges faster.
    public static func regularizedIncompleteBeta(x: Double, a: Double, b: Double) -> Double {
        if x <= 0 { return 0 }
        if x >= 1 { return 1 }
        let logGammas: Double = lgamma(a + b) - lgamma(a) - lgamma(b)
        let logPowers: Double = a * log(x) + b * log(1 - x)
        let logFront = logGammas + logPowers
        if x < (a + 1) / (a + b + 2) {
            return exp(logFront) * continuedFraction(x: x, a: a, b: b) / a
        }
        return 1 - exp(logFront) * continuedFraction(x: 1 - x, a: b, b: a) / b
    }

    private static func continuedFraction(x: Double, a: Double, b: Double) -> Double {
        let tiny = 1e-300
        var c = 1.0
        var d = 1 - (a + b) * x / (a + 1)
        if abs(d) < tiny { d = tiny }
        d = 1 / d
        var h = d
        for m in 1...300 {
            let m = Double(m)
            var numerator = m * (b - m) * x / ((a + 2 * m - 1) * (a + 2 * m))
            d = 1 + numerator * d; if abs(d) < tiny { d = tiny }
            c = 1 + numerator / c; if abs(c) < tiny { c = tiny }
            d = 1 / d
            h *= d * c
            numerator = -(a + m) * (a + b + m) * x / ((a + 2 * m) * (a + 2 * m + 1))
            d = 1 + numerator * d; if abs(d) < tiny { d = tiny }
            c = 1 + numerator / c; if abs(c) < tiny { c = tiny }
            d = 1 / d
            let delta = d * c
            h *= delta
            if abs(delta - 1) < 1e-15 { break }
        }
        return h
    }
}
