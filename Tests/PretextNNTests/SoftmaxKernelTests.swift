import CPretextKernels
import Foundation
import PretextData
import XCTest

/// `pretext_softmax_row` (InfoNCE's row pass: vector expf from libmvec) against a
/// double-precision softmax, for lengths around the 8- and 16-lane widths, in place too,
/// through each variant the CPU has (scalar, AVX2, AVX-512).
final class SoftmaxKernelTests: XCTestCase {
    func testSoftmaxRowMatchesDoublePrecision() {
        var generator = SeededGenerator(seed: 5)
        for variant: Int32 in [0, 1, 2] { check(variant: variant, &generator) }
    }

    func check(variant: Int32, _ generator: inout SeededGenerator) {
        for count in [1, 7, 8, 15, 16, 17, 33, 128, 1_000] {
            for scale: Float in [1, 2, 1 / 0.07] {
                let x = (0..<count).map { _ in Float(generator.nextNormal()) * 3 }
                let scaled = x.map { Double($0 * scale) }
                let largest = scaled.max()!
                let sum = scaled.reduce(0) { $0 + exp($1 - largest) }
                let expectedLog = log(sum) + largest
                var out = [Float](repeating: .nan, count: count)
                let logPartition = x.withUnsafeBufferPointer { x in
                    out.withUnsafeMutableBufferPointer { out in
                        pretext_softmax_row_variant(variant, x.baseAddress!, out.baseAddress!, count, scale)
                    }
                }
                let label = "variant \(variant) n \(count) scale \(scale)"
                XCTAssertEqual(logPartition, expectedLog, accuracy: 1e-5 * max(1, abs(expectedLog)), label)
                for (index, value) in scaled.enumerated() {
                    let expected = exp(value - largest) / sum
                    XCTAssertEqual(Double(out[index]), expected, accuracy: 1e-6 * expected + 1e-12, "\(label) [\(index)]")
                }
                // In place (out = x), as InfoNCE may call it.
                var inPlace = x
                let again = inPlace.withUnsafeMutableBufferPointer { buffer in
                    pretext_softmax_row_variant(variant, buffer.baseAddress!, buffer.baseAddress!, count, scale)
                }
                XCTAssertEqual(again, logPartition, label)
                XCTAssertEqual(inPlace, out, label)
            }
        }
    }
}
