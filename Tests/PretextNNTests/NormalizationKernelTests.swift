import CPretextKernels
import Foundation
import PretextData
import XCTest

/// InfoNCE's row normalisation kernels (`pretext_normalize_rows`,
/// `pretext_normalization_backward`) give, bit for bit, the values of the order their
/// header documents — written out here in plain Swift — through both builds (baseline
/// and AVX-512), for widths around the 8-lane sum and zero rows; and the gradient agrees
/// with the closed form computed in double precision.
final class NormalizationKernelTests: XCTestCase {
    /// Σ_i Double(a_i·b_i): lane i mod 8, then the lanes in order from 0, then the tail.
    private func laneDot(_ a: [Float], _ b: [Float]) -> Double {
        var lanes = [Double](repeating: 0, count: 8)
        let whole = a.count / 8 * 8
        for index in 0..<whole { lanes[index % 8] += Double(a[index] * b[index]) }
        var total = 0.0
        for lane in lanes { total += lane }
        for index in whole..<a.count { total += Double(a[index] * b[index]) }
        return total
    }

    private func bits(_ values: [Float]) -> [UInt32] { values.map(\.bitPattern) }

    func testKernelsFollowTheDocumentedOrderOnEveryBuild() {
        var generator = SeededGenerator(seed: 31)
        for columns in [1, 7, 8, 9, 16, 31, 256] {
            let rows = 5
            var x = (0..<(rows * columns)).map { _ in Float(generator.nextNormal()) }
            for column in 0..<columns { x[2 * columns + column] = 0 }   // a zero row: norm 1e-12, output 0
            let dy = (0..<(rows * columns)).map { _ in Float(generator.nextNormal()) }
            // The reference, row by row.
            var expectedNorms: [Float] = [], expectedOut: [Float] = [], expectedBack: [Float] = []
            for row in 0..<rows {
                let slice = Array(x[(row * columns)..<((row + 1) * columns)])
                let norm = Float(max(laneDot(slice, slice).squareRoot(), 1e-12))
                expectedNorms.append(norm)
                let normalized = slice.map { $0 / norm }
                expectedOut += normalized
                let gradient = Array(dy[(row * columns)..<((row + 1) * columns)])
                let dot = Float(laneDot(gradient, normalized))
                expectedBack += zip(gradient, normalized).map { g, y in (g - y * dot) / norm }
            }
            for variant: Int32 in [0, 2] {
                var norms = [Float](repeating: .nan, count: rows)
                var out = [Float](repeating: .nan, count: rows * columns)
                var back = [Float](repeating: .nan, count: rows * columns)
                pretext_normalize_rows_variant(variant, x, &out, &norms, rows, columns)
                pretext_normalization_backward_variant(variant, dy, out, norms, &back, rows, columns)
                let label = "variant \(variant), \(columns) columns"
                XCTAssertEqual(bits(norms), bits(expectedNorms), label)
                XCTAssertEqual(bits(out), bits(expectedOut), label)
                XCTAssertEqual(bits(back), bits(expectedBack), label)
                XCTAssertTrue(out[(2 * columns)..<(3 * columns)].allSatisfy { $0 == 0 }, "zero row stays zero, \(label)")
            }
        }
    }

    /// ∂L/∂x = (g − x̂ (g·x̂)) / ‖x‖, in double, for L = g·x̂.
    func testGradientMatchesTheClosedFormInDouble() {
        var generator = SeededGenerator(seed: 32)
        let columns = 40
        let x = (0..<columns).map { _ in Float(generator.nextNormal()) }
        let g = (0..<columns).map { _ in Float(generator.nextNormal()) }
        var out = [Float](repeating: 0, count: columns), norms: [Float] = [0], back = [Float](repeating: 0, count: columns)
        pretext_normalize_rows(x, &out, &norms, 1, columns)
        pretext_normalization_backward(g, out, norms, &back, 1, columns)
        let length = x.reduce(0.0) { $0 + Double($1) * Double($1) }.squareRoot()
        let unit = x.map { Double($0) / length }
        let dot = zip(g, unit).reduce(0.0) { $0 + Double($1.0) * $1.1 }
        for index in 0..<columns {
            XCTAssertEqual(Double(out[index]), unit[index], accuracy: 1e-6)
            XCTAssertEqual(Double(back[index]), (Double(g[index]) - unit[index] * dot) / length, accuracy: 1e-5)
        }
    }
}
