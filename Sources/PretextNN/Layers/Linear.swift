import CPretextKernels
import PretextData

/// y = x Wᵀ + b: the product first (β = 0), then b added to each row —
/// one pass over y fewer than writing b first for the product to add to.
///
/// W: (O, I), b: (O). Initialisation as PyTorch's `nn.Linear`: W, b ~ U(−1/√I, 1/√I)
/// (Kaiming-uniform with a = √5), so results match common reference setups.
///
/// Fused with a ReLU (`Sequential` pairs them): forward applies y = max(y + b, 0) to each
/// lane's rows right after its block of the product, while they are in cache; backward
/// computes dW, db and dX in one pass on the lanes and applies the ReLU *below* (its
/// mask y > 0) to dX's rows. Both give the same bits as the layers one after another.
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
        forward(input, store: store, then: nil)
    }

    /// W = 0, b = `output`.
    func setConstant(_ output: [Float], store: ParameterStore) {
        precondition(bias && output.count == outputDimensions, "Linear: constant shape")
        for index in weight.range { store.values[index] = 0 }
        for (index, value) in zip(biasView!.range, output) { store.values[index] = value }
    }

    /// Folds a fixed affine map of the inputs, x'ᵢ = (xᵢ − μᵢ)·kᵢ, into the weights, so the
    /// layer on x computes what it computed on x': W' = W·diag(k), b' = b − W·(μ ∘ k).
    func foldInputAffine(shift: [Float], factor: [Float], store: ParameterStore) {
        precondition(bias && shift.count == inputDimensions && factor.count == inputDimensions, "Linear: fold shapes")
        for o in 0..<outputDimensions {
            var offset = 0.0
            for i in 0..<inputDimensions {
                let index = weight.offset + o * inputDimensions + i
                let scaled = store.values[index] * factor[i]
                offset += Double(scaled) * Double(shift[i])
                store.values[index] = scaled
            }
            store.values[biasView!.offset + o] -= Float(offset)
        }
    }

    /// (B, I) → (B, O); with `relu`, max(·, 0) of it, and `relu` keeps that output for
    /// its backward (as `relu.forward` would).
    func forward(_ input: Matrix, store: ParameterStore, then relu: ReLU?) -> Matrix {
        precondition(input.columns == inputDimensions, "Linear expects \(inputDimensions) inputs, got \(input.columns)")
        self.input = input
        let outputDimensions = outputDimensions, inputDimensions = inputDimensions
        let weightOffset = weight.offset, biasOffset = biasView?.offset
        // The product written by β = 0, then the bias added (and the ReLU applied) to each lane's rows in one pass.
        let rows = input.rows
        let plan = BLAS.splitPlan(m: rows, n: outputDimensions, k: inputDimensions)
        let output = Matrix(rows: rows, columns: outputDimensions) { out in               // (B, O)
            store.values.withUnsafeBufferPointer { values in
                input.values.withUnsafeBufferPointer { x in
                    func finish(_ block: Range<Int>) {
                        let start = out.baseAddress! + block.lowerBound * outputDimensions
                        if let biasOffset {
                            pretext_add_bias(start, values.baseAddress! + biasOffset, block.count, outputDimensions, relu == nil ? 0 : 1)
                        } else if relu != nil {
                            pretext_relu(start, start, block.count * outputDimensions)
                        }
                    }
                    if plan.parts > 1 && plan.byRows {
                        // Each lane computes its block of rows of the product and finishes them while they are in cache.
                        Lanes.forEachPart(plan.parts) { part in
                            let block = Lanes.block(part, of: plan.parts, in: rows)
                            BLAS.sgemmUnsplit(transposeA: false, transposeB: true, m: block.count, n: outputDimensions, k: inputDimensions,
                                              alpha: 1, a: x.baseAddress! + block.lowerBound * inputDimensions, lda: inputDimensions,
                                              b: values.baseAddress! + weightOffset, ldb: inputDimensions, beta: 0,
                                              c: out.baseAddress! + block.lowerBound * outputDimensions, ldc: outputDimensions)
                            finish(block)
                        }
                        return
                    }
                    BLAS.sgemm(transposeA: false, transposeB: true, m: rows, n: outputDimensions, k: inputDimensions,
                               alpha: 1, a: x.baseAddress!, lda: inputDimensions, b: values.baseAddress! + weightOffset,
                               ldb: inputDimensions, beta: 0, c: out.baseAddress!, ldc: outputDimensions)
                    if biasOffset != nil || relu != nil { Lanes.forEachBlock(of: rows, work: out.count, finish) }
                }
            }
        }
        relu?.remember(output: output)
        return output
    }

    public func backward(_ outputGradient: Matrix, store: ParameterStore) -> Matrix {
        backward(outputGradient, store: store, maskingWith: nil)
    }

    /// dW and db added into the store; returns dX (B, I) — with `relu` (the layer just
    /// below this one), dX where `relu`'s output is > 0 and 0 elsewhere: `relu.backward(dX)`.
    func backward(_ outputGradient: Matrix, store: ParameterStore, maskingWith relu: ReLU?) -> Matrix {
        let batch = outputGradient.rows
        let inputDimensions = inputDimensions, outputDimensions = outputDimensions, weightOffset = weight.offset
        let parameterPlan = BLAS.splitPlan(m: outputDimensions, n: inputDimensions, k: batch)
        let inputPlan = BLAS.splitPlan(m: batch, n: inputDimensions, k: outputDimensions)
        let onePass = parameterPlan.parts > 1 && parameterPlan.byRows && inputPlan.parts == parameterPlan.parts && inputPlan.byRows
        if !onePass { accumulateParameterGradients(outputGradient, store: store) }
        // dX (B, I) = dY (B, O) · W (O, I), then the mask of the ReLU below.
        let inputGradient = Matrix(rows: batch, columns: inputDimensions) { dx in      // (B, I), written by β = 0
            outputGradient.values.withUnsafeBufferPointer { dy in
                store.values.withUnsafeBufferPointer { values in
                    func inputGradientRows(_ block: Range<Int>) {
                        BLAS.sgemmUnsplit(transposeA: false, transposeB: false, m: block.count, n: inputDimensions, k: outputDimensions,
                                          alpha: 1, a: dy.baseAddress! + block.lowerBound * outputDimensions, lda: outputDimensions,
                                          b: values.baseAddress! + weightOffset, ldb: inputDimensions,
                                          beta: 0, c: dx.baseAddress! + block.lowerBound * inputDimensions, ldc: inputDimensions)
                    }
                    if onePass {
                        // Lane p: its block of dW's rows and db (all of dY), then its block of dX's rows (its rows of dY).
                        store.gradients.withUnsafeMutableBufferPointer { grads in
                            input.values.withUnsafeBufferPointer { x in
                                Lanes.forEachPart(parameterPlan.parts) { part in
                                    parameterGradientBlock(Lanes.block(part, of: parameterPlan.parts, in: outputDimensions),
                                                           dy: dy.baseAddress!, x: x.baseAddress!, batch: batch, grads: grads.baseAddress!)
                                    let rows = Lanes.block(part, of: inputPlan.parts, in: batch)
                                    inputGradientRows(rows)
                                    relu?.mask(dx.baseAddress!, into: dx.baseAddress!, rows: rows, columns: inputDimensions)
                                }
                            }
                        }
                        return
                    }
                    BLAS.sgemm(transposeA: false, transposeB: false, m: batch, n: inputDimensions, k: outputDimensions,
                               alpha: 1, a: dy.baseAddress!, lda: outputDimensions, b: values.baseAddress! + weightOffset,
                               ldb: inputDimensions, beta: 0, c: dx.baseAddress!, ldc: inputDimensions)
                    if let relu {
                        Lanes.forEachBlock(of: batch, work: dx.count) { rows in
                            relu.mask(dx.baseAddress!, into: dx.baseAddress!, rows: rows, columns: inputDimensions)
                        }
                    }
                }
            }
        }
        return inputGradient
    }

    /// dW and db only (the input gradient of a network's first layer is not needed).
    public func accumulateParameterGradients(_ outputGradient: Matrix, store: ParameterStore) {
        let batch = outputGradient.rows
        let inputDimensions = inputDimensions, outputDimensions = outputDimensions, weightOffset = weight.offset
        let plan = BLAS.splitPlan(m: outputDimensions, n: inputDimensions, k: batch)
        outputGradient.values.withUnsafeBufferPointer { dy in
            input.values.withUnsafeBufferPointer { x in
                store.gradients.withUnsafeMutableBufferPointer { grads in
                    if plan.parts > 1 && plan.byRows {
                        Lanes.forEachPart(plan.parts) { part in
                            parameterGradientBlock(Lanes.block(part, of: plan.parts, in: outputDimensions),
                                                   dy: dy.baseAddress!, x: x.baseAddress!, batch: batch, grads: grads.baseAddress!)
                        }
                        return
                    }
                    BLAS.sgemm(transposeA: true, transposeB: false, m: outputDimensions, n: inputDimensions, k: batch,
                               alpha: 1, a: dy.baseAddress!, lda: outputDimensions, b: x.baseAddress!, ldb: inputDimensions,
                               beta: 1, c: grads.baseAddress! + weightOffset, ldc: inputDimensions)
                    if let biasOffset = biasView?.offset {
                        Lanes.forEachBlock(of: outputDimensions, work: dy.count) { columns in
                            pretext_add_column_sums(dy.baseAddress! + columns.lowerBound, batch, outputDimensions,
                                                    grads.baseAddress! + biasOffset + columns.lowerBound, columns.count)
                        }
                    }
                }
            }
        }
    }

    /// For output features `block`: dW[block] (|block|, I) += dY[:, block]ᵀ · X (B, I), one
    /// single-threaded product over all B rows; db[block] += Σ_rows dY[:, block], rows in order.
    private func parameterGradientBlock(_ block: Range<Int>, dy: UnsafePointer<Float>, x: UnsafePointer<Float>,
                                        batch: Int, grads: UnsafeMutablePointer<Float>) {
        guard !block.isEmpty else { return }
        BLAS.sgemmUnsplit(transposeA: true, transposeB: false, m: block.count, n: inputDimensions, k: batch,
                          alpha: 1, a: dy + block.lowerBound, lda: outputDimensions,
                          b: x, ldb: inputDimensions, beta: 1,
                          c: grads + weight.offset + block.lowerBound * inputDimensions, ldc: inputDimensions)
        if let biasOffset = biasView?.offset {
            pretext_add_column_sums(dy + block.lowerBound, batch, outputDimensions, grads + biasOffset + block.lowerBound, block.count)
        }
    }
}
