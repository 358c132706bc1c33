import Foundation
import PretextData
import PretextNN

/// MiniRocket's settings (Dempster, Schmidt and Webb 2021, "MINIROCKET: A Very Fast
/// (Almost) Deterministic Transform for Time Series Classification"): the defaults are
/// the paper's and its reference implementation's.
public struct MiniRocketConfig: Codable, Sendable, Equatable {
    /// Features wanted; rounded down to a multiple of the 84 kernels (10,000 → 9,996).
    public var features = 10_000
    /// At most this many dilations per kernel. Default 32.
    public var maximumDilationsPerKernel = 32
    /// Seeds the choice of the training series each bias is fitted on.
    public var seed: UInt64 = 0

    public init() {}

    public func validate() throws {
        guard features >= MiniRocket.kernels.count else {
            throw TrainingError.invalidHyperparameter(name: "features", value: "\(features)", expected: "at least 84 (one per kernel)")
        }
        guard maximumDilationsPerKernel >= 1 else {
            throw TrainingError.invalidHyperparameter(name: "maximumDilationsPerKernel", value: "\(maximumDilationsPerKernel)", expected: "≥ 1")
        }
    }
}

/// The MiniRocket transform of univariate series of one length: 84 fixed kernels of
/// length 9 — weights −1 everywhere and 2 at three of the nine positions, C(9, 3) = 84
/// choices — each at several dilations d, with biases taken from quantiles of the
/// convolution outputs on training series; each feature is the proportion of positive
/// values (PPV) of one convolution output minus one bias.
///
/// For series x of length L, kernel k with its three positions P and dilation d,
///
///     C[t] = Σⱼ₌₀…₈ wⱼ · x[t + (j − 4)·d]   (x = 0 outside 0 ..< L),  wⱼ = 2 if j ∈ P else −1
///          = −Σⱼ x[t + (j − 4)·d] + 3 · Σⱼ∈P x[t + (j − 4)·d],
///
/// so one dilation's nine shifted copies serve all 84 kernels. A feature is
/// PPV = mean over t of [C[t] > b]. Dilations are ⌊2^e⌋ for e evenly spaced in
/// [0, log₂((L − 1)/8)] (at most 32, duplicates merged and weighted), so the kernel spans
/// up to the whole series; features per dilation follow those weights. Biases: for each
/// (dilation, kernel) one random training series' C, at the low-discrepancy quantiles
/// (i·φ) mod 1 (φ the golden ratio). Every other (dilation, kernel) pair — alternately
/// by kernel index and dilation index — uses only the positions where the kernel needs
/// no padding (C[4d ..< L − 4d]), as in the reference implementation.
public struct MiniRocket: Codable, Sendable, Equatable {
    /// The 84 kernels: the three positions of weight 2, in lexicographic order.
    public static let kernels: [(Int, Int, Int)] = {
        var kernels: [(Int, Int, Int)] = []
        for a in 0..<9 { for b in (a + 1)..<9 { for c in (b + 1)..<9 { kernels.append((a, b, c)) } } }
        return kernels
    }()

    public let length: Int
    public let dilations: [Int]
    public let featuresPerDilation: [Int]
    /// (features,) in the order dilation-major, then kernel, then quantile.
    public let biases: [Float]

    public var featureCount: Int { biases.count }

    /// Fits dilations and biases on `series` (each of `length` values, no missing values).
    public static func fit(_ series: [[Float]], length: Int, config: MiniRocketConfig = MiniRocketConfig()) throws -> MiniRocket {
        try config.validate()
        guard !series.isEmpty else { throw TrainingError.notEnoughData(reason: "MiniRocket needs at least one training series") }
        guard length >= 9 else {
            throw TrainingError.notEnoughData(reason: "MiniRocket's kernels span 9 steps; these series have \(length)")
        }
        let (dilations, perDilation) = Self.dilations(length: length, features: config.features,
                                                      maximumPerKernel: config.maximumDilationsPerKernel)
        let perKernel = perDilation.reduce(0, +)
        let quantiles = Self.quantiles(kernels.count * perKernel)
        var biases = [Float](repeating: 0, count: kernels.count * perKernel)
        var generator = SeededGenerator(seed: config.seed, stream: "minirocket-biases")
        var start = 0
        for (dilation, count) in zip(dilations, perDilation) {
            for kernel in kernels.indices {
                let example = series[Int(generator.next() % UInt64(series.count))]
                let shifted = Shifted(example, dilation: dilation)
                let output = shifted.convolution(kernel: kernel).map(Double.init).sorted()
                for index in start..<(start + count) { biases[index] = Float(Preprocessor.quantile(output, quantiles[index])) }
                start += count
            }
        }
        return MiniRocket(length: length, dilations: dilations, featuresPerDilation: perDilation, biases: biases)
    }

    /// Features (series.count, featureCount), row-major. Series must have `length` values.
    public func transform(_ series: [[Float]]) -> [Float] {
        var features = [Float](repeating: 0, count: series.count * featureCount)
        features.withUnsafeMutableBufferPointer { output in
            let base = output.baseAddress!
            Lanes.forEachPart(series.count) { row in
                let rowStart = row * featureCount
                var index = 0   // the feature: its bias, and its column in this row
                for (dilationIndex, (dilation, count)) in zip(dilations, featuresPerDilation).enumerated() {
                    let shifted = Shifted(series[row], dilation: dilation)
                    let padding = 4 * dilation
                    for kernel in Self.kernels.indices {
                        let output = shifted.convolution(kernel: kernel)
                        let trimmed = (dilationIndex + kernel) % 2 == 1 && length > 2 * padding
                        let range = trimmed ? padding..<(length - padding) : 0..<length
                        let scale = 1 / Float(range.count)
                        for _ in 0..<count {
                            let bias = biases[index]
                            var positive = 0
                            for t in range where output[t] > bias { positive += 1 }
                            base[rowStart + index] = Float(positive) * scale
                            index += 1
                        }
                    }
                }
            }
        }
        return features
    }

    /// ⌊2^e⌋ for `min(features/84, maximumPerKernel)` exponents e evenly spaced in
    /// [0, log₂((L − 1)/8)], duplicates merged; features per dilation in proportion to
    /// the duplicates, the remainder dealt one by one from the smallest dilation.
    static func dilations(length: Int, features: Int, maximumPerKernel: Int) -> ([Int], [Int]) {
        let perKernel = features / kernels.count
        let count = min(perKernel, maximumPerKernel)
        let multiplier = Double(perKernel) / Double(count)
        let maximumExponent = log2(Double(length - 1) / 8)
        var dilations: [Int] = [], counts: [Int] = []
        for index in 0..<count {
            let exponent = count == 1 ? 0 : maximumExponent * Double(index) / Double(count - 1)
            let dilation = Int(pow(2, exponent))
            if dilations.last == dilation { counts[counts.count - 1] += 1 } else { dilations.append(dilation); counts.append(1) }
        }
        var perDilation = counts.map { Int(Double($0) * multiplier) }
        var remainder = perKernel - perDilation.reduce(0, +)
        var index = 0
        while remainder > 0 {
            perDilation[index] += 1
            remainder -= 1
            index = (index + 1) % perDilation.count
        }
        return (dilations, perDilation)
    }

    /// (i·φ) mod 1 for i = 1 … n, φ = (1 + √5)/2.
    static func quantiles(_ n: Int) -> [Double] {
        let phi = (5.0.squareRoot() + 1) / 2
        return (1...max(1, n)).map { (Double($0) * phi).truncatingRemainder(dividingBy: 1) }
    }

    /// The nine copies x[t + (j − 4)·d] (zero outside the series) and their sum.
    struct Shifted {
        var copies: [[Float]]   // (9, L)
        var sum: [Float]        // (L,)

        init(_ x: [Float], dilation: Int) {
            let length = x.count
            copies = [[Float]](repeating: [Float](repeating: 0, count: length), count: 9)
            sum = [Float](repeating: 0, count: length)
            for j in 0..<9 {
                let offset = (j - 4) * dilation
                for t in max(0, -offset)..<min(length, length - offset) where t + offset >= 0 && t + offset < length {
                    copies[j][t] = x[t + offset]
                }
                for t in 0..<length { sum[t] += copies[j][t] }
            }
        }

        /// C = −Σⱼ copyⱼ + 3·(copy_a + copy_b + copy_c) for kernel k's positions (a, b, c).
        func convolution(kernel: Int) -> [Float] {
            let (a, b, c) = MiniRocket.kernels[kernel]
            var output = [Float](repeating: 0, count: sum.count)
            for t in output.indices { output[t] = 3 * (copies[a][t] + copies[b][t] + copies[c][t]) - sum[t] }
            return output
        }
    }

    private enum CodingKeys: String, CodingKey {
        case length, dilations
        case featuresPerDilation = "features_per_dilation"
        case biases
    }
}
