import Foundation
import XCTest
import PretextTestSupport
import PretextData
import PretextNN
import PretextTransfer
@testable import PretextBaselines

/// MiniRocket against its reference implementation's arithmetic and the published
/// accuracies; the ridge's leave-one-out error against refitting without each row.
final class MiniRocketTests: XCTestCase {
    override func setUp() {
        _ = try? BLAS.load()
    }

    /// Dilations, features per dilation and quantiles as the reference code
    /// (angus924/minirocket, `_fit_dilations`, `_quantiles`) computes them with NumPy.
    func testDilationsAndQuantilesMatchTheReference() {
        XCTAssertEqual(MiniRocket.kernels.count, 84)
        XCTAssertTrue(MiniRocket.kernels.first! == (0, 1, 2) && MiniRocket.kernels.last! == (6, 7, 8))
        let short = MiniRocket.dilations(length: 24, features: 10_000, maximumPerKernel: 32)
        XCTAssertEqual(short.0, [1, 2])
        XCTAssertEqual(short.1, [79, 40])
        let long = MiniRocket.dilations(length: 286, features: 10_000, maximumPerKernel: 32)
        XCTAssertEqual(long.0, [1, 2, 3, 4, 5, 6, 7, 8, 10, 11, 12, 14, 15, 17, 20, 22, 25, 28, 31, 35])
        XCTAssertEqual(long.1, [27, 12, 12, 4, 8, 4, 8, 4, 4, 4, 4, 4, 3, 3, 3, 3, 3, 3, 3, 3])
        XCTAssertEqual(long.1.reduce(0, +) * 84, 9_996)
        let quantiles = MiniRocket.quantiles(3)
        for (value, expected) in zip(quantiles, [0.6180339887498949, 0.2360679774997898, 0.8541019662496847]) {
            XCTAssertEqual(value, expected, accuracy: 1e-12)
        }
    }

    /// The shifted-sum convolution equals the definition Σⱼ wⱼ x[t + (j − 4)d], zero-padded.
    func testConvolutionEqualsItsDefinition() {
        var generator = SeededGenerator(seed: 3)
        let x = (0..<40).map { _ in Float(generator.nextNormal()) }
        for dilation in [1, 2, 4] {
            let shifted = MiniRocket.Shifted(x, dilation: dilation)
            for kernel in [0, 17, 83] {
                let (a, b, c) = MiniRocket.kernels[kernel]
                let output = shifted.convolution(kernel: kernel)
                for t in x.indices {
                    var expected: Float = 0
                    for j in 0..<9 {
                        let index = t + (j - 4) * dilation
                        guard x.indices.contains(index) else { continue }
                        expected += (j == a || j == b || j == c ? 2 : -1) * x[index]
                    }
                    XCTAssertEqual(output[t], expected, accuracy: 1e-4, "dilation \(dilation), kernel \(kernel), t \(t)")
                }
            }
        }
    }

    /// Multivariate, unequal lengths: each (dilation, kernel) pair sums the convolutions
    /// of 1 … min(M, 9) distinct channels, and its features are PPVs of that sum over the
    /// series' own length against the pair's biases (no alternation, as the reference
    /// `MiniRocketMultivariateVariable`); a series shorter than the kernel still works.
    func testMultivariateFeaturesAreProportionsOverTheChannelSubsetSum() throws {
        var generator = SeededGenerator(seed: 5)
        let series: [MiniRocket.Series] = (0..<6).map { index in
            (0..<3).map { _ in (0..<(20 + index)).map { _ in Float(generator.nextNormal()) } }
        }
        let transform = try MiniRocket.fit(multivariate: series)
        XCTAssertEqual(transform.channels, 3)
        XCTAssertEqual(transform.length, 25)
        XCTAssertFalse(transform.alternatesPadding)
        XCTAssertEqual(transform.channelsPerCombination.count, transform.dilations.count * 84)
        var offset = 0, subsets: [[Int]] = []
        for count in transform.channelsPerCombination {
            let subset = Array(transform.channelIndices[offset..<(offset + count)])
            XCTAssertTrue((1...3).contains(count))
            XCTAssertEqual(Set(subset).count, count)
            subsets.append(subset)
            offset += count
        }
        XCTAssertEqual(offset, transform.channelIndices.count)
        XCTAssertTrue(subsets.contains { $0.count > 1 } && subsets.contains { $0.count == 1 })

        let x = series[2], features = transform.transform(multivariate: [x])
        let firstDilation = transform.featuresPerDilation[0] * 84
        for (dilationIndex, kernel) in [(0, 0), (0, 41), (1, 5), (1, 83)] {
            let dilation = transform.dilations[dilationIndex]
            let (a, b, c) = MiniRocket.kernels[kernel]
            let subset = subsets[dilationIndex * 84 + kernel]
            let output = x[0].indices.map { t -> Float in
                var sum: Float = 0
                for channel in subset {
                    for j in 0..<9 where x[channel].indices.contains(t + (j - 4) * dilation) {
                        sum += (j == a || j == b || j == c ? 2 : -1) * x[channel][t + (j - 4) * dilation]
                    }
                }
                return sum
            }
            let start = (dilationIndex == 0 ? 0 : firstDilation) + kernel * transform.featuresPerDilation[dilationIndex]
            for feature in start..<(start + transform.featuresPerDilation[dilationIndex]) {
                let expected = Float(output.filter { $0 > transform.biases[feature] }.count) / Float(output.count)
                XCTAssertEqual(features[feature], expected, accuracy: 1e-6, "dilation \(dilation), kernel \(kernel)")
            }
        }
        let short: MiniRocket.Series = (0..<3).map { _ in (0..<5).map { _ in Float(generator.nextNormal()) } }
        XCTAssertTrue(transform.transform(multivariate: [short]).allSatisfy { (0...1).contains($0) })
    }

    /// Published MiniRocket on the UEA sets (Ruiz et al. 2021; sktime's own test of
    /// `MiniRocketMultivariateVariable` on JapaneseVowels: "mean usually .987"):
    /// BasicMotions 1.00, JapaneseVowels ≈ 0.99. Long-layout files, official splits, one
    /// seed; predictions are one row per series, named by its id, and survive a save.
    func testAccuracyOnTheBundledUEASetsInTheLongLayout() throws {
        let columns = SeriesColumns(seriesID: "series_id", time: "t")
        for (name, bound, series) in [("basic_motions", 0.97, 40), ("japanese_vowels", 0.97, 370)] {
            let train = try loadTable("\(name)_train.csv"), test = try loadTable("\(name)_test.csv")
            let model = try MiniRocketClassifier().fit(train, columns: columns)
            XCTAssertEqual(model.valueColumns.count, name == "basic_motions" ? 6 : 12)
            XCTAssertEqual(model.idColumns, ["series_id"])
            let (csv, _) = try Workflow.predict(model, table: test, idColumns: [])
            XCTAssertEqual(csv.rowCount, series)
            XCTAssertEqual(csv.header.first, "series_id")
            let (truthSeries, _) = try columns.read(test, labelColumn: "target")
            let predicted = try model.predictions(test).predictions.labels
            let accuracy = Double(zip(predicted, truthSeries.series.map(\.label!)).filter { $0 == $1 }.count) / Double(series)
            XCTAssertGreaterThanOrEqual(accuracy, bound, "\(name): \(accuracy)")
            let path = NSTemporaryDirectory() + "pretext-minirocket-\(UUID().uuidString).safetensors"
            defer { try? FileManager.default.removeItem(atPath: path) }
            try model.save(to: path)
            let loaded = try MiniRocketClassifier.load(from: path)
            XCTAssertEqual(loaded.transform, model.transform)
            XCTAssertEqual(try loaded.predictions(test).predictions.labels, predicted)
        }
    }

    /// The leave-one-out error from one eigen-decomposition equals refitting the ridge
    /// (unpenalised intercept) without each row in turn, for three classes and for two
    /// (one output); so does the temperature of its probabilities, fitted on those
    /// leave-one-out decision values; the probabilities keep the ridge's predictions.
    func testLeaveOneOutErrorAndTemperatureEqualRefittingWithoutEachRow() throws {
        for classes in [3, 2] {
            var generator = SeededGenerator(seed: 8)
            let rows = 12, features = 4, alpha = 0.7, outputs = classes == 2 ? 1 : classes
            let labels: [Int32] = (0..<rows).map { Int32($0 % classes) }
            let x = (0..<(rows * features)).map { index in Float(generator.nextNormal()) + Float(labels[index / features]) * (index % features == 0 ? 1.5 : 0) }
            let names = ["a", "b", "c"].prefix(classes).map { $0 }
            let ridge = try RidgeClassifierCV.fit(x: x, rows: rows, features: features, labels: labels, classNames: names, alphas: [alpha])
            // Brute force on the same scaled features.
            let scaled = (0..<rows).map { row in (0..<features).map { Double(x[row * features + $0] / ridge.scale[$0]) } }
            var squared = 0.0
            var logits = Matrix(rows: rows, columns: classes)   // leave-one-out decision values
            for held in 0..<rows {
                let kept = (0..<rows).filter { $0 != held }
                let mean = (0..<features).map { j in kept.reduce(0) { $0 + scaled[$1][j] } / Double(kept.count) }
                for k in 0..<outputs {
                    let positive = Int32(outputs == 1 ? 1 : k)
                    let y = kept.map { labels[$0] == positive ? 1.0 : -1.0 }
                    let yMean = y.reduce(0, +) / Double(y.count)
                    // (XᵀX + αI) w = Xᵀ y on centred rows.
                    var system = [[Double]](repeating: [Double](repeating: 0, count: features + 1), count: features)
                    for (position, row) in kept.enumerated() {
                        for i in 0..<features {
                            for j in 0..<features { system[i][j] += (scaled[row][i] - mean[i]) * (scaled[row][j] - mean[j]) }
                            system[i][features] += (scaled[row][i] - mean[i]) * (y[position] - yMean)
                        }
                    }
                    for i in 0..<features { system[i][i] += alpha }
                    let w = Self.solve(system)
                    let prediction = yMean + (0..<features).reduce(0) { $0 + (scaled[held][$1] - mean[$1]) * w[$1] }
                    let truth = labels[held] == positive ? 1.0 : -1.0
                    squared += (truth - prediction) * (truth - prediction)
                    logits[held, Int(positive)] = Float(prediction)
                }
            }
            XCTAssertEqual(ridge.leaveOneOutError, squared / Double(rows * outputs), accuracy: 1e-4, "\(classes) classes")
            XCTAssertEqual(ridge.alpha, alpha)
            let temperature = TemperatureScaling.calibrate(logits: logits, labels: labels)
            XCTAssertEqual(try XCTUnwrap(ridge.temperature), temperature, accuracy: 1e-3 * temperature, "\(classes) classes")
            let probabilities = ridge.probabilities(x, rows: rows)
            let predicted = ridge.predict(x, rows: rows)
            for row in 0..<rows {
                let p = (0..<classes).map { probabilities[row, $0] }
                XCTAssertEqual(p.reduce(0, +), 1, accuracy: 1e-5)
                XCTAssertEqual(p.firstIndex(of: p.max()!), Int(predicted[row]))
                XCTAssertLessThan(p.max()!, 1, "calibrated, not one-hot")
            }
        }
    }

    /// Published MiniRocket accuracies (Dempster et al. 2021, UCR archive, mean of 30
    /// resamples): ItalyPowerDemand ≈ 0.96, Coffee 1.00. One seed here on the official
    /// splits; the bounds leave room for one seed's spread.
    func testAccuracyOnTheBundledUCRSetsIsNearThePublishedOnes() throws {
        for (name, bound) in [("italy_power_demand", 0.94), ("coffee", 0.96)] {
            let train = try loadTable("\(name)_train.csv")
            let test = try loadTable("\(name)_test.csv")
            let model = try MiniRocketClassifier().fit(train)
            XCTAssertEqual(model.transform?.featureCount, 9_996)
            let predictions = try model.predictions(test).predictions
            let truth = (0..<test.rowCount).map { test.target!.text(at: $0) }
            let accuracy = Double(zip(predictions.labels, truth).filter { $0 == $1 }.count) / Double(truth.count)
            XCTAssertGreaterThanOrEqual(accuracy, bound, "\(name): \(accuracy)")
            // Saved and loaded, the same predictions.
            let path = NSTemporaryDirectory() + "pretext-minirocket-\(UUID().uuidString).safetensors"
            defer { try? FileManager.default.removeItem(atPath: path) }
            try model.save(to: path)
            let reloaded = try MiniRocketClassifier.load(from: path).predictions(test).predictions
            XCTAssertEqual(reloaded.labels, predictions.labels)
            XCTAssertEqual(reloaded.probabilities, predictions.probabilities, "the temperature is saved")
        }
    }

    /// Gaussian elimination with partial pivoting on an augmented n × (n + 1) system.
    static func solve(_ system: [[Double]]) -> [Double] {
        var a = system
        let n = a.count
        for column in 0..<n {
            let pivot = (column..<n).max { abs(a[$0][column]) < abs(a[$1][column]) }!
            a.swapAt(column, pivot)
            for row in (column + 1)..<n {
                let factor = a[row][column] / a[column][column]
                for j in column...n { a[row][j] -= factor * a[column][j] }
            }
        }
        var x = [Double](repeating: 0, count: n)
        for row in stride(from: n - 1, through: 0, by: -1) {
            var value = a[row][n]
            for j in (row + 1)..<n { value -= a[row][j] * x[j] }
            x[row] = value / a[row][row]
        }
        return x
    }
}
