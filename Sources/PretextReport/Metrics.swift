import Foundation
import PretextData
import PretextNN

/// Test-set scores. Classification: accuracy, macro-F1, log loss and (binary) ROC-AUC;
/// regression: RMSE, MAE and R².
public struct Scores: Codable, Sendable, Equatable {
    public var accuracy: Double?
    public var macroF1: Double?
    public var logLoss: Double?
    public var rocAUC: Double?
    public var rmse: Double?
    public var mae: Double?
    public var rSquared: Double?

    /// The headline number (higher is better): accuracy, or R².
    public var primary: Double { accuracy ?? rSquared ?? .nan }

    public static func classification(_ predictions: Predictions, truth: [String]) -> Scores {
        let n = Double(truth.count)
        let correct = zip(predictions.labels, truth).filter { $0 == $1 }.count
        var f1Sum = 0.0
        for name in predictions.classNames {
            let tp = Double(zip(predictions.labels, truth).filter { $0 == name && $1 == name }.count)
            let fp = Double(zip(predictions.labels, truth).filter { $0 == name && $1 != name }.count)
            let fn = Double(zip(predictions.labels, truth).filter { $0 != name && $1 == name }.count)
            f1Sum += tp == 0 ? 0 : 2 * tp / (2 * tp + fp + fn)
        }
        var logLoss = 0.0
        if let probabilities = predictions.probabilities {
            for (row, name) in truth.enumerated() {
                let column = predictions.classNames.firstIndex(of: name)
                let p = column.map { Double(probabilities[row, $0]) } ?? 0
                logLoss -= log(min(max(p, 1e-15), 1))
            }
        }
        var auc: Double? = nil
        if predictions.classNames.count == 2, let probabilities = predictions.probabilities {
            auc = rocAUC(scores: (0..<truth.count).map { Double(probabilities[$0, 1]) },
                         positives: truth.map { $0 == predictions.classNames[1] })
        }
        return Scores(accuracy: Double(correct) / n, macroF1: f1Sum / Double(max(1, predictions.classNames.count)),
                      logLoss: logLoss / n, rocAUC: auc)
    }

    /// Area under the ROC curve: the probability that a random positive scores above a
    /// random negative, ties counting one half (Mann–Whitney U with mid-ranks).
    public static func rocAUC(scores: [Double], positives: [Bool]) -> Double? {
        let positiveCount = positives.filter { $0 }.count, negativeCount = positives.count - positiveCount
        guard positiveCount > 0, negativeCount > 0 else { return nil }
        let order = scores.indices.sorted { scores[$0] < scores[$1] }
        var ranks = [Double](repeating: 0, count: scores.count)
        var start = 0
        while start < order.count {
            var end = start
            while end + 1 < order.count, scores[order[end + 1]] == scores[order[start]] { end += 1 }
            let midRank = Double(start + end) / 2 + 1
            for position in start...end { ranks[order[position]] = midRank }
            start = end + 1
        }
        let positiveRankSum = zip(ranks, positives).filter { $0.1 }.reduce(0) { $0 + $1.0 }
        let u = positiveRankSum - Double(positiveCount * (positiveCount + 1)) / 2
        return u / Double(positiveCount * negativeCount)
    }

    public static func regression(_ predictions: [Double], truth: [Double]) -> Scores {
        let n = Double(truth.count)
        let mean = truth.reduce(0, +) / n
        let squared = zip(predictions, truth).reduce(0) { $0 + ($1.0 - $1.1) * ($1.0 - $1.1) }
        let absolute = zip(predictions, truth).reduce(0) { $0 + abs($1.0 - $1.1) }
        let total = truth.reduce(0) { $0 + ($1 - mean) * ($1 - mean) }
        return Scores(rmse: (squared / n).squareRoot(), mae: absolute / n, rSquared: total > 0 ? 1 - squared / total : .nan)
    }
}

/// Mean and sample standard deviation.
public struct Summary: Codable, Sendable, Equatable {
    public var mean: Double
    public var standardDeviation: Double
    public var count: Int

    public init(_ values: [Double]) {
        count = values.count
        let average = values.isEmpty ? .nan : values.reduce(0, +) / Double(values.count)
        mean = average
        standardDeviation = values.count < 2 ? 0
            : (values.reduce(0) { $0 + ($1 - average) * ($1 - average) } / Double(values.count - 1)).squareRoot()
    }
}
