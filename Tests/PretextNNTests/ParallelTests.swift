import CPretextParallel
import Foundation
import XCTest
import PretextData
@testable import PretextNN

/// The compute lanes: blocks cover the work exactly once, split products equal the
/// single-lane ones, element-wise passes give the same bits on any number of lanes,
/// and calls from inside a task or from several threads at once stay correct.
final class ParallelTests: XCTestCase {
    private var savedLanes = 1

    override func setUp() {
        savedLanes = Lanes.count
    }

    override func tearDown() {
        BLAS.setThreads(savedLanes)
    }

    private func random(_ rows: Int, _ columns: Int, _ generator: inout SeededGenerator) -> Matrix {
        Matrix(rows: rows, columns: columns, values: (0..<(rows * columns)).map { _ in Float(generator.nextNormal()) })
    }

    func testBlocksCoverEveryItemOnceInWholeTiles() {
        for lanes in [1, 2, 3, 5] {
            BLAS.setThreads(lanes)
            for extent in [0, 1, 15, 16, 17, 100, 256, 1_000] {
                var visits = [Int](repeating: 0, count: extent)
                var starts = [Int](repeating: -1, count: extent)
                visits.withUnsafeMutableBufferPointer { visits in
                    starts.withUnsafeMutableBufferPointer { starts in
                        Lanes.forEachBlock(of: extent, work: 1_000_000) { block in
                            for item in block { visits[item] += 1; starts[item] = block.lowerBound }
                        }
                    }
                }
                XCTAssertEqual(visits, [Int](repeating: 1, count: extent), "lanes \(lanes), extent \(extent)")
                XCTAssertTrue(starts.allSatisfy { $0 % 16 == 0 }, "blocks start on 16-item tiles")
                let blocks = Set(starts).count
                let expected = extent == 0 ? 0 : lanes == 1 ? 1 : min(lanes * Int(PRETEXT_BLOCKS_PER_LANE), max(1, extent / 16))
                XCTAssertEqual(blocks, expected, "lanes \(lanes), extent \(extent)")
            }
        }
    }

    /// With more parts than lanes, each lane owns a contiguous run of parts; a lane that
    /// is held up (here: whichever lane runs part 0 sleeps in it) has the rest of its run
    /// taken by the other lane. Every part still runs exactly once, and every other part
    /// is done before the slow one: nothing waits behind it. (Which thread runs part 0
    /// depends on scheduling — on a loaded machine the other lane may take the caller's
    /// whole run — so the test asserts the order of completion, not thread identities.)
    func testIdleLanesTakeWorkFromASlowLane() {
        BLAS.setThreads(2)
        let parts = 8
        var runs = [Int](repeating: 0, count: parts)
        var finished = [UInt64](repeating: 0, count: parts)
        runs.withUnsafeMutableBufferPointer { runs in
            finished.withUnsafeMutableBufferPointer { finished in
                Lanes.forEachPart(parts) { part in
                    if part == 0 { usleep(300_000) }
                    runs[part] += 1
                    finished[part] = DispatchTime.now().uptimeNanoseconds
                }
            }
        }
        XCTAssertEqual(runs, [Int](repeating: 1, count: parts))
        XCTAssertEqual(finished.indices.max { finished[$0] < finished[$1] }, 0,
                       "the slow part finishes last: the other lane took the rest of its run")
    }

    func testSmallWorkRunsAsOneBlock() {
        BLAS.setThreads(4)
        var blocks: [Range<Int>] = []
        Lanes.forEachBlock(of: 1_000, work: Lanes.minimumParallelWork - 1) { blocks.append($0) }
        XCTAssertEqual(blocks, [0..<1_000])
    }

    /// Products big enough to be split (rows, or columns when there are few rows),
    /// every transpose combination: the same values as one lane, up to float rounding
    /// (OpenBLAS may pick its small-matrix kernel for a block), and the same bits on
    /// every repetition with the same lanes.
    func testSplitProductsMatchOneLane() throws {
        _ = try BLAS.load()
        var generator = SeededGenerator(seed: 11)
        let shapes = [(m: 256, n: 256, k: 20), (m: 1_024, n: 256, k: 64), (m: 256, n: 784, k: 256), (m: 8, n: 1_024, k: 256),
                      (m: 300, n: 37, k: 100)]
        for (m, n, k) in shapes {
            for (transposeA, transposeB) in [(false, false), (false, true), (true, false), (true, true)] {
                let a = transposeA ? random(k, m, &generator) : random(m, k, &generator)
                let b = transposeB ? random(n, k, &generator) : random(k, n, &generator)
                let start = random(m, n, &generator)
                BLAS.setThreads(1)
                var single = start
                Matrix.multiply(a, transposeA: transposeA, b, transposeB: transposeB, into: &single, accumulate: true)
                BLAS.setThreads(3)
                var split = start, again = start
                Matrix.multiply(a, transposeA: transposeA, b, transposeB: transposeB, into: &split, accumulate: true)
                Matrix.multiply(a, transposeA: transposeA, b, transposeB: transposeB, into: &again, accumulate: true)
                let label = "\(m)×\(n)×\(k) transposeA \(transposeA) transposeB \(transposeB)"
                XCTAssertEqual(split.values, again.values, label)
                // Two float computations of one sum of k products in different orders (a block
                // may take the library's small-matrix kernel) each lie within γ_k · (|c| + Σ|a||b|)
                // of the exact value, γ_k = k·u / (1 − k·u), u = 2⁻²⁴ (Higham, Accuracy and
                // Stability of Numerical Algorithms, §3.5): so they differ by at most twice that.
                // A block lost or added twice would be off by a whole term of that sum.
                var magnitude = Matrix(rows: m, columns: n, values: start.values.map(abs))
                let absoluteA = Matrix(rows: a.rows, columns: a.columns, values: a.values.map(abs))
                let absoluteB = Matrix(rows: b.rows, columns: b.columns, values: b.values.map(abs))
                Matrix.multiply(absoluteA, transposeA: transposeA, absoluteB, transposeB: transposeB, into: &magnitude, accumulate: true)
                let unit = Double(Float.ulpOfOne) / 2, gamma = Double(k) * unit / (1 - Double(k) * unit)
                let worst = zip(zip(split.values, single.values), magnitude.values)
                    .map { pair, bound in Double(abs(pair.0 - pair.1)) / (2 * gamma * Double(bound)) }.max() ?? 0
                XCTAssertLessThanOrEqual(worst, 1, label)
                // And against a plain double-precision product.
                for (row, column) in [(0, 0), (m - 1, n - 1), (m / 2, n / 3)] {
                    var expected = Double(start[row, column])
                    for index in 0..<k {
                        let left = transposeA ? a[index, row] : a[row, index]
                        let right = transposeB ? b[column, index] : b[index, column]
                        expected += Double(left) * Double(right)
                    }
                    XCTAssertEqual(Double(split[row, column]), expected, accuracy: 1e-3 * max(1, abs(expected)), label)
                }
            }
        }
    }

    /// Outputs are allocated without zero fill and written with β = 0, so the product
    /// library must never read C then: a NaN-filled C gives the plain product, split or
    /// whole, whichever library is in charge.
    func testBetaZeroNeverReadsTheOutput() throws {
        _ = try BLAS.load()
        var generator = SeededGenerator(seed: 12)
        for (m, n, k) in [(m: 512, n: 256, k: 256), (m: 7, n: 5, k: 3)] {
            let a = random(m, k, &generator), b = random(k, n, &generator)
            var expected = Matrix(rows: m, columns: n)
            Matrix.multiply(a, b, into: &expected)
            var poisoned = Matrix(rows: m, columns: n, values: [Float](repeating: .nan, count: m * n))
            Matrix.multiply(a, b, into: &poisoned)
            XCTAssertEqual(poisoned.values, expected.values, "\(m)×\(n)×\(k)")
            poisoned.values.withUnsafeMutableBufferPointer { $0.update(repeating: .nan) }
            a.values.withUnsafeBufferPointer { a in
                b.values.withUnsafeBufferPointer { b in
                    poisoned.values.withUnsafeMutableBufferPointer { c in
                        BLAS.sgemmUnsplit(transposeA: false, transposeB: false, m: m, n: n, k: k, alpha: 1, a: a.baseAddress!, lda: k,
                                          b: b.baseAddress!, ldb: n, beta: 0, c: c.baseAddress!, ldc: n)
                    }
                }
            }
            XCTAssertFalse(poisoned.values.contains { $0.isNaN }, "\(m)×\(n)×\(k) unsplit")
        }
    }

    /// On a CPU with AVX2 and FMA, with libdnnl installed (scripts/setup.sh installs it)
    /// and PRETEXT_GEMM unset, the products run on oneDNN; otherwise on OpenBLAS.
    func testProductLibraryFollowsTheCPUAndPRETEXT_GEMM() throws {
        let status = try BLAS.load()
        switch ProcessInfo.processInfo.environment["PRETEXT_GEMM"] ?? "" {
        case "openblas": XCTAssertEqual(status.productLibrary, "OpenBLAS")
        case "onednn": XCTAssertTrue(status.productLibrary.hasPrefix("oneDNN "), status.productLibrary)
        default:
            if ["SkylakeX", "Haswell"].contains(BLAS.cpuKernelFamily) {   // the families that need AVX2 + FMA
                XCTAssertTrue(status.productLibrary.hasPrefix("oneDNN "), "\(status.productLibrary): is libdnnl-dev installed?")
            } else {
                XCTAssertEqual(status.productLibrary, "OpenBLAS")
            }
        }
    }

    /// A layer that runs the planned blocks itself (`splitPlan` + `sgemmUnsplit` on
    /// `Lanes.forEachPart`, as Linear does) gets exactly the bits of the split product.
    func testPlannedBlocksReproduceTheSplitProduct() throws {
        _ = try BLAS.load()
        var generator = SeededGenerator(seed: 13)
        BLAS.setThreads(2)
        for (m, n, k) in [(256, 256, 20), (1_024, 256, 64), (256, 784, 256), (8, 1_024, 256)] {
            let a = random(m, k, &generator), b = random(n, k, &generator)
            var expected = Matrix(rows: m, columns: n)
            Matrix.multiply(a, b, transposeB: true, into: &expected)
            let plan = BLAS.splitPlan(m: m, n: n, k: k)
            XCTAssertGreaterThan(plan.parts, 1, "\(m)×\(n)×\(k) is large enough to split")
            var blocks = Matrix(rows: m, columns: n, repeating: .nan)
            a.values.withUnsafeBufferPointer { a in
                b.values.withUnsafeBufferPointer { b in
                    blocks.values.withUnsafeMutableBufferPointer { c in
                        Lanes.forEachPart(plan.parts) { part in
                            let block = Lanes.block(part, of: plan.parts, in: plan.byRows ? m : n)
                            if plan.byRows {
                                BLAS.sgemmUnsplit(transposeA: false, transposeB: true, m: block.count, n: n, k: k, alpha: 1,
                                                  a: a.baseAddress! + block.lowerBound * k, lda: k, b: b.baseAddress!, ldb: k,
                                                  beta: 0, c: c.baseAddress! + block.lowerBound * n, ldc: n)
                            } else {
                                BLAS.sgemmUnsplit(transposeA: false, transposeB: true, m: m, n: block.count, k: k, alpha: 1,
                                                  a: a.baseAddress!, lda: k, b: b.baseAddress! + block.lowerBound * k, ldb: k,
                                                  beta: 0, c: c.baseAddress! + block.lowerBound, ldc: n)
                            }
                        }
                    }
                }
            }
            XCTAssertEqual(blocks.values, expected.values, "\(m)×\(n)×\(k), \(plan.parts) blocks by \(plan.byRows ? "rows" : "columns")")
        }
    }

    /// ReLU, softmax, row normalisation and InfoNCE's per-row pass give bit-identical
    /// results on one lane and on several.
    func testElementwisePassesGiveTheSameBitsOnAnyLanes() throws {
        _ = try BLAS.load()
        var generator = SeededGenerator(seed: 12)
        let x = random(300, 256, &generator)
        let dy = random(300, 256, &generator)
        let anchors = random(200, 64, &generator), positives = random(200, 64, &generator)
        func run() -> [[Float]] {
            let relu = ReLU()
            let store = ParameterStore()
            let y = relu.forward(x, mode: .training, store: store)
            let dx = relu.backward(dy, store: store)
            let probabilities = SoftmaxCrossEntropy.probabilities(x)
            let (normalized, norms) = InfoNCE.normalizeRows(x)
            let back = InfoNCE.backThroughNormalization(dy, normalized: normalized, norms: norms)
            let info = InfoNCE.compute(anchors: anchors, positives: positives, temperature: 0.5)
            return [y.values, dx.values, probabilities.values, normalized.values, norms, back.values,
                    [Float(info.value)], info.anchorGradient.values, info.positiveGradient.values]
        }
        BLAS.setThreads(1)
        let single = run()
        for lanes in [2, 3] {
            BLAS.setThreads(lanes)
            let split = run()
            for (index, name) in ["ReLU", "ReLU backward", "softmax", "normalised rows", "norms", "normalisation backward"].enumerated() {
                XCTAssertEqual(split[index], single[index], "\(name), \(lanes) lanes")
            }
            // InfoNCE's B×B similarity is a split product, so compare with a tolerance.
            for index in 6..<9 {
                let worst = zip(split[index], single[index]).map { abs($0 - $1) }.max() ?? 0
                XCTAssertLessThan(worst, 1e-5, "InfoNCE output \(index - 6), \(lanes) lanes")
            }
        }
    }

    /// Row gathers and gradient zeroing, both in blocks on the lanes, cover every item:
    /// the gathered rows are the source rows (repeats and any order), every gradient is 0.
    func testGatherAndZeroingCoverEveryItemOnAnyLanes() throws {
        _ = try BLAS.load()
        var generator = SeededGenerator(seed: 15)
        let source = random(700, 64, &generator)
        let indices = (0..<1_000).map { _ in generator.nextInt(below: 700) }
        for lanes in [1, 2, 3] {
            BLAS.setThreads(lanes)
            let gathered = source.gatheringRows(indices)
            for (position, row) in indices.enumerated() {
                XCTAssertEqual(Array(gathered.values[(position * 64)..<((position + 1) * 64)]),
                               Array(source.values[(row * 64)..<((row + 1) * 64)]), "row \(position), \(lanes) lanes")
            }
            let store = ParameterStore()
            _ = store.addParameter("w", shape: [300, 257])
            store.gradients = store.gradients.map { _ in 1 }
            store.zeroGradients()
            XCTAssertTrue(store.gradients.allSatisfy { $0 == 0 }, "\(lanes) lanes")
        }
    }

    /// The temporal layers' lane passes — im2col, col2im, the bias gradient (channel
    /// blocks), time pooling and the residual sum — give the same bits on any lanes
    /// (sizes chosen so the products themselves are not split).
    func testTemporalLayersGiveTheSameBitsOnAnyLanes() throws {
        _ = try BLAS.load()
        var generator = SeededGenerator(seed: 14)
        let sequences = 64, length = 24
        let x = random(sequences, length * 4, &generator)
        let dy = random(sequences, length * 16, &generator)
        let pooledGradient = random(sequences, 32, &generator)
        func run() -> [[Float]] {
            let store = ParameterStore()
            let convolution = CausalConvolution(inputChannels: 4, outputChannels: 16, kernelSize: 3, dilation: 2)
            convolution.register(in: store, prefix: "c.")
            var seeded = SeededGenerator(seed: 1)
            convolution.initialize(store, generator: &seeded)
            let y = convolution.forward(x, mode: .training, store: store)
            let dx = convolution.backward(dy, store: store)
            let pooling = TimePooling(channels: 16, kind: .lastAndMean)
            let pooled = pooling.forward(y, mode: .training, store: store)
            let pooledBack = pooling.backward(pooledGradient, store: store)
            let residual = Residual(ReLU())
            let summed = residual.forward(y, mode: .training, store: store)
            let summedBack = residual.backward(dy, store: store)
            return [y.values, dx.values, store.gradients, pooled.values, pooledBack.values, summed.values, summedBack.values]
        }
        BLAS.setThreads(1)
        let single = run()
        for lanes in [2, 3] {
            BLAS.setThreads(lanes)
            let split = run()
            for (index, name) in ["convolution", "convolution backward", "convolution gradients", "pooling", "pooling backward",
                                  "residual", "residual backward"].enumerated() {
                XCTAssertEqual(split[index], single[index], "\(name), \(lanes) lanes")
            }
        }
    }

    /// A block that starts parallel work of its own, and several threads starting
    /// parallel work at once: every item is still done exactly once.
    func testNestedAndConcurrentCallsAreSafe() {
        BLAS.setThreads(2)
        let extent = 512
        var visits = [Int](repeating: 0, count: extent * extent)
        visits.withUnsafeMutableBufferPointer { visits in
            Lanes.forEachBlock(of: extent, work: 1_000_000) { outer in
                for row in outer {
                    Lanes.forEachBlock(of: extent, work: 1_000_000) { inner in
                        for column in inner { visits[row * extent + column] += 1 }
                    }
                }
            }
        }
        XCTAssertEqual(Set(visits), [1])
        nonisolated(unsafe) let sums = UnsafeMutableBufferPointer<Int>.allocate(capacity: 8)
        defer { sums.deallocate() }
        DispatchQueue.concurrentPerform(iterations: 8) { caller in
            var counts = [Int](repeating: 0, count: 4_096)
            counts.withUnsafeMutableBufferPointer { counts in
                for _ in 0..<50 {
                    Lanes.forEachBlock(of: 4_096, work: 1_000_000) { block in
                        for item in block { counts[item] += 1 }
                    }
                }
            }
            sums[caller] = counts.reduce(0, +)
        }
        XCTAssertEqual(Array(sums), [Int](repeating: 50 * 4_096, count: 8))
    }
}
