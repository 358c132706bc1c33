import PretextData

/// y = x Wᵀ + b.
///
/// W: (O, I), b: (O). Initialisation as PyTorch's `nn.Linear`: W, b ~ U(−1/√I, 1/√I)
/// (Kaiming-uniform with a = √5), so results match common reference setups.
public final class Linear: Layer {
    public let inputDimensions: Int
    public let outputDimensions: Int
    public let bias: Bool
    private var weight: ParameterStore.View!
    private var biasView: ParameterStore.View?
    private var input = Matrix(rows: 0, columns: 0)   // (B, I), kept for backward

    public init(_ inputDimensions: Int, _ outputDimensions: Int, bias: Bool = true) {
        precondition(inputDimensions > 0 && outputDimensions > 0, "Linear needs positive dimensions")
        self.inputDimensions = inputDimensions
        self.outputDimensions = outputDimensions
        self.bias = bias
    }

    public func register(in store: ParameterStore, prefix: String) {
        weight = store.addParameter(prefix + "weight", shape: [outputDimensions, inputDimensions])
        if bias { biasView = store.addParameter(prefix + "bias", shape: [outputDimensions]) }
    }

    public func initialize(_ store: ParameterStore, generator: inout SeededGenerator) {
        let bound = 1 / Double(inputDimensions).squareRoot()
        for index in weight.range { store.values[index] = Float((generator.nextUniform() * 2 - 1) * bound) }
        if let biasView {
            for index in biasView.range { store.values[index] = Float((generator.nextUniform() * 2 - 1) * bound) }
        }
    }

    public func forward(_ input: Matrix, mode: Mode, store: ParameterStore) -> Matrix {
        precondition(input.columns == inputDimensions, "Linear expects \(inputDimensions) inputs, got \(input.columns)")
        self.input = input
        let outputDimensions = outputDimensions, inputDimensions = inputDimensions
        let weightOffset = weight.offset, biasOffset = biasView?.offset
        // Every value is written: the bias rows (then the product added, β = 1), or the product alone (β = 0).
        let rows = input.rows
        let plan = BLAS.splitPlan(m: rows, n: outputDimensions, k: inputDimensions)
        let output = Matrix(rows: rows, columns: outputDimensions) { out in               // (B, O)
            store.values.withUnsafeBufferPointer { values in
                input.values.withUnsafeBufferPointer { x in
                    func writeBias(_ block: Range<Int>) {
                        guard let biasOffset else { return }
                        for row in block {
                            (out.baseAddress! + row * outputDimensions).update(from: values.baseAddress! + biasOffset, count: outputDimensions)
                        }
                    }
                    if plan.parts > 1 && plan.byRows {
                        // Each lane writes the bias into its block of rows, then adds its block of the product.
                        Lanes.forEachPart(plan.parts) { part in
                            let block = Lanes.block(part, of: plan.parts, in: rows)
                            writeBias(block)
                            BLAS.sgemmUnsplit(transposeA: false, transposeB: true, m: block.count, n: outputDimensions, k: inputDimensions,
                                              alpha: 1, a: x.baseAddress! + block.lowerBound * inputDimensions, lda: inputDimensions,
                                              b: values.baseAddress! + weightOffset, ldb: inputDimensions, beta: biasOffset == nil ? 0 : 1,
                                              c: out.baseAddress! + block.lowerBound * outputDimensions, ldc: outputDimensions)
                        }
                        return
                    }
                    if biasOffset != nil { Lanes.forEachBlock(of: rows, work: out.count, writeBias) }
                    BLAS.sgemm(transposeA: false, transposeB: true, m: rows, n: outputDimensions, k: inputDimensions,
                               alpha: 1, a: x.baseAddress!, lda: inputDimensions, b: values.baseAddress! + weightOffset,
                               ldb: inputDimensions, beta: biasOffset == nil ? 0 : 1, c: out.baseAddress!, ldc: outputDimensions)
                }
            }
        }
        return output
    }

    public func backward(_ outputGradient: Matrix, store: ParameterStore) -> Matrix {
        accumulateParameterGradients(outputGradient, store: store)
        let batch = outputGradient.rows
        let inputDimensions = inputDimensions, outputDimensions = outputDimensions, weightOffset = weight.offset
        // dX (B, I) = dY (B, O) · W (O, I)
        let inputGradient = Matrix(rows: batch, columns: inputDimensions) { dx in      // (B, I), written by β = 0
            outputGradient.values.withUnsafeBufferPointer { dy in
                store.values.withUnsafeBufferPointer { values in
                    BLAS.sgemm(transposeA: false, transposeB: false, m: batch, n: inputDimensions, k: outputDimensions,
                               alpha: 1, a: dy.baseAddress!, lda: outputDimensions, b: values.baseAddress! + weightOffset,
                               ldb: inputDimensions, beta: 0, c: dx.baseAddress!, ldc: inputDimensions)
                }
            }
        }
        return inputGradient
    }

    /// dW and db only (the input gradient of a network's first layer is not needed).
    public func accumulateParameterGradients(_ outputGradient: Matrix, store: ParameterStore) {
        let batch = outputGradient.rows
        let inputDimensions = inputDimensions, outputDimensions = outputDimensions, weightOffset = weight.offset
        // dW (O, I) += dYᵀ (O, B) · X (B, I); db (O) += Σ_rows dY, each column summed over rows in order.
        let plan = BLAS.splitPlan(m: outputDimensions, n: inputDimensions, k: batch)
        let biasOffset = biasView?.offset
        outputGradient.values.withUnsafeBufferPointer { dy in
            input.values.withUnsafeBufferPointer { x in
                store.gradients.withUnsafeMutableBufferPointer { grads in
                    func biasGradient(_ columns: Range<Int>) {
                        guard let biasOffset else { return }
                        let db = grads.baseAddress! + biasOffset
                        for row in 0..<batch {
                            let source = dy.baseAddress! + row * outputDimensions
                            for column in columns { db[column] += source[column] }
                        }
                    }
                    if plan.parts > 1 && plan.byRows {
                        // Each lane takes a block of output features: its rows of dW and entries of db.
                        Lanes.forEachPart(plan.parts) { part in
                            let block = Lanes.block(part, of: plan.parts, in: outputDimensions)
                            BLAS.sgemmUnsplit(transposeA: true, transposeB: false, m: block.count, n: inputDimensions, k: batch,
                                              alpha: 1, a: dy.baseAddress! + block.lowerBound, lda: outputDimensions,
                                              b: x.baseAddress!, ldb: inputDimensions, beta: 1,
                                              c: grads.baseAddress! + weightOffset + block.lowerBound * inputDimensions, ldc: inputDimensions)
                            biasGradient(block)
                        }
                        return
                    }
                    BLAS.sgemm(transposeA: true, transposeB: false, m: outputDimensions, n: inputDimensions, k: batch,
                               alpha: 1, a: dy.baseAddress!, lda: outputDimensions, b: x.baseAddress!, ldb: inputDimensions,
                               beta: 1, c: grads.baseAddress! + weightOffset, ldc: inputDimensions)
                    Lanes.forEachBlock(of: outputDimensions, work: dy.count) { columns in biasGradient(columns) }
                }
            }
        }
    }
}
