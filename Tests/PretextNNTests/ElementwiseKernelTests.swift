import CPretextKernels
import PretextData
import XCTest

/// The element-wise passes of Linear + ReLU (`pretext_relu`, `pretext_add_bias`,
/// `pretext_relu_mask`) give, through both builds (baseline and AVX-512), exactly the
/// values of the Swift they replace — NaN, ±0 and ±∞ included — for lengths around the
/// 16-float vector and in place.
final class ElementwiseKernelTests: XCTestCase {
    private func bits(_ values: [Float]) -> [UInt32] { values.map(\.bitPattern) }

    /// Seeded normals with the special values mixed in.
    private func values(_ count: Int, _ generator: inout SeededGenerator) -> [Float] {
        let specials: [Float] = [.nan, 0, -0.0, .infinity, -.infinity, .leastNonzeroMagnitude, -.leastNonzeroMagnitude]
        return (0..<count).map { index in index % 5 == 3 ? specials[index % specials.count] : Float(generator.nextNormal()) }
    }

    func testEveryBuildMatchesTheSwiftDefinition() {
        var generator = SeededGenerator(seed: 41)
        for (rows, columns) in [(1, 1), (3, 7), (2, 16), (5, 17), (4, 33), (9, 256)] {
            let count = rows * columns
            let x = values(count, &generator), bias = values(columns, &generator), gradient = values(count, &generator)
            let relu = x.map { max($0, 0) }
            var sums = x
            for row in 0..<rows { for column in 0..<columns { sums[row * columns + column] = x[row * columns + column] + bias[column] } }
            let biasRelu = sums.map { max($0, 0) }
            let masked = zip(relu, gradient).map { y, g in y > 0 ? g : 0 }
            for variant: Int32 in [0, 2] {
                let label = "variant \(variant), \(rows)×\(columns)"
                var out = [Float](repeating: 7, count: count)
                pretext_relu_variant(variant, x, &out, count)
                XCTAssertEqual(bits(out), bits(relu), "relu, \(label)")
                var inPlace = x
                inPlace.withUnsafeMutableBufferPointer { pretext_relu_variant(variant, $0.baseAddress!, $0.baseAddress!, count) }
                XCTAssertEqual(bits(inPlace), bits(relu), "relu in place, \(label)")

                var y = x
                pretext_add_bias_variant(variant, &y, bias, rows, columns, 0)
                XCTAssertEqual(bits(y), bits(sums), "bias, \(label)")
                y = x
                pretext_add_bias_variant(variant, &y, bias, rows, columns, 1)
                XCTAssertEqual(bits(y), bits(biasRelu), "bias then relu, \(label)")

                out = [Float](repeating: 7, count: count)
                pretext_relu_mask_variant(variant, relu, gradient, &out, count)
                XCTAssertEqual(bits(out), bits(masked), "mask, \(label)")
                var gradientInPlace = gradient
                gradientInPlace.withUnsafeMutableBufferPointer {
                    pretext_relu_mask_variant(variant, relu, $0.baseAddress!, $0.baseAddress!, count)
                }
                XCTAssertEqual(bits(gradientInPlace), bits(masked), "mask in place, \(label)")
            }
        }
    }
}
