import Foundation

/// Small-sample statistics for comparing methods over seeds.
public enum Statistics {
    /// Welch's unequal-variance t-test of mean(a) − mean(b): t, degrees of freedom
    /// (Welch–Satterthwaite) and the two-sided p-value. With fewer than two values on a
    /// side, or two constant samples, p is 1 (no evidence of a difference) unless the
    /// means differ with zero variance, where p is 0.
    public static func welch(_ a: [Double], _ b: [Double]) -> (t: Double, degreesOfFreedom: Double, p: Double) {
        guard a.count >= 2, b.count >= 2 else { return (0, 0, 1) }
        let sa = Summary(a), sb = Summary(b)
        let va = sa.standardDeviation * sa.standardDeviation / Double(a.count)
        let vb = sb.standardDeviation * sb.standardDeviation / Double(b.count)
        let difference = sa.mean - sb.mean
        guard va + vb > 0 else { return (difference == 0 ? 0 : .infinity, 0, difference == 0 ? 1 : 0) }
        let t = difference / (va + vb).squareRoot()
        let df = (va + vb) * (va + vb) / (va * va / Double(a.count - 1) + vb * vb / Double(b.count - 1))
        return (t, df, twoSidedP(t: t, degreesOfFreedom: df))
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
