import XCTest
@testable import PretextNN
@testable import PretextAuto

/// Pseudo-BMA+ weights: a candidate that learned nothing gets almost none beside ones that
/// did; indistinguishable candidates share evenly; many rows concentrate the weight on the
/// better one; repeats count each row once; the same seed gives the same weights.
final class EvidenceWeightsTests: XCTestCase {
    /// Binary out-of-fold predictions giving each row's true class probability `p[i]`.
    func predictions(_ p: [Float], rows: [Int]? = nil) -> OutOfFoldPredictions {
        let labels = p.indices.map { Int32($0 % 2) }
        var values: [Float] = []
        for (i, truth) in p.enumerated() { values += labels[i] == 0 ? [truth, 1 - truth] : [1 - truth, truth] }
        return OutOfFoldPredictions(rows: rows ?? Array(p.indices), labels: labels, probabilities: Matrix(rows: p.count, columns: 2, values: values))
    }

    func testAnUninformedCandidateGetsAlmostNoWeightBesideInformedOnes() throws {
        let informed = predictions([0.9, 0.85, 0.95, 0.8, 0.9, 0.7])
        let alsoInformed = predictions([0.8, 0.9, 0.9, 0.85, 0.75, 0.8])
        let uniform = predictions(Array(repeating: 0.5, count: 6))
        let weights = try XCTUnwrap(EvidenceWeights.pseudoBMAPlus([informed, alsoInformed, uniform], seed: 0))
        XCTAssertEqual(weights.reduce(0, +), 1, accuracy: 1e-9)
        XCTAssertLessThan(weights[2], 0.05, "six rows at −log 0.5 against ≈ −log 0.85 each: e^(6·(log 0.5 − log 0.85)) ≈ 0.04 before the bootstrap")
        XCTAssertGreaterThan(weights[0], 0.3)
        XCTAssertGreaterThan(weights[1], 0.3)
    }

    func testIndistinguishableCandidatesShareEvenly() throws {
        let a = predictions([0.9, 0.6, 0.8, 0.7])
        let weights = try XCTUnwrap(EvidenceWeights.pseudoBMAPlus([a, a], seed: 3))
        XCTAssertEqual(weights[0], 0.5, accuracy: 1e-12)
        XCTAssertEqual(weights[1], 0.5, accuracy: 1e-12)
    }

    func testManyRowsConcentrateTheWeightOnTheBetterCandidate() throws {
        // A small but consistent gap: 0.99 against 0.97 on every row.
        let few = try XCTUnwrap(EvidenceWeights.pseudoBMAPlus([predictions(Array(repeating: 0.97, count: 10)),
                                                               predictions(Array(repeating: 0.99, count: 10))], seed: 0))
        let many = try XCTUnwrap(EvidenceWeights.pseudoBMAPlus([predictions(Array(repeating: 0.97, count: 2_000)),
                                                                predictions(Array(repeating: 0.99, count: 2_000))], seed: 0))
        XCTAssertLessThan(few[1], 0.6, "ten rows: Δelpd = 10 · log(0.99/0.97) ≈ 0.2, weights stay near even")
        XCTAssertGreaterThan(many[1], 0.999_999, "2,000 rows: Δelpd ≈ 41")
    }

    /// Repeated k-fold predicts each row once per repeat; a row counts once, with its mean
    /// log probability, so two identical repeats weigh exactly as one.
    func testRepeatsCountEachRowOnce() throws {
        let once = [predictions([0.9, 0.6, 0.7, 0.55]), predictions([0.6, 0.8, 0.6, 0.9])]
        let twice = [predictions([0.9, 0.6, 0.7, 0.55, 0.9, 0.6, 0.7, 0.55], rows: [0, 1, 2, 3, 0, 1, 2, 3]),
                     predictions([0.6, 0.8, 0.6, 0.9, 0.6, 0.8, 0.6, 0.9], rows: [0, 1, 2, 3, 0, 1, 2, 3])]
        let a = try XCTUnwrap(EvidenceWeights.pseudoBMAPlus(once, seed: 7))
        let b = try XCTUnwrap(EvidenceWeights.pseudoBMAPlus(twice, seed: 7))
        for (x, y) in zip(a, b) { XCTAssertEqual(x, y, accuracy: 1e-12) }
        XCTAssertNotEqual(a, try XCTUnwrap(EvidenceWeights.pseudoBMAPlus(once, seed: 8)), "another seed, other bootstrap draws")
        XCTAssertEqual(a, try XCTUnwrap(EvidenceWeights.pseudoBMAPlus(once, seed: 7)), "same seed, same weights")
    }

    func testMembersOnOtherRowsHaveNoWeights() {
        XCTAssertNil(EvidenceWeights.pseudoBMAPlus([predictions([0.9, 0.6]), predictions([0.9, 0.6], rows: [5, 6])], seed: 0))
        XCTAssertNil(EvidenceWeights.pseudoBMAPlus([], seed: 0))
    }
}
