import CPretextKernels
import PretextData

/// A causal, dilated 1-D convolution over time, channels last.
///
/// Input (B, L·Cᵢ) holds B sequences of L steps with Cᵢ channels, time-major (step t's
/// channels at columns t·Cᵢ ..< (t+1)·Cᵢ); output (B, L·Cₒ) in the same layout. L is
/// read from the input width, so one set of weights serves every sequence length. With
/// kernel size K and dilation d:
///
///     y[b, t, o] = bias[o] + Σ_{j<K} Σ_c W[o, j, c] · x[b, t − (K−1−j)·d, c]
///
/// where steps before 0 are zero (left padding only): y at step t sees x at steps ≤ t,
/// never the future. Computed as im2col and one GEMM, X̂ (B·L, K·Cᵢ) · Wᵀ (K·Cᵢ, Cₒ).
/// Backward: dW += dYᵀ·X̂, db += Σ_{b,t} dY, dX̂ = dY·W scattered back onto dX (col2im).
///
/// W: (Cₒ, K·Cᵢ), b: (Cₒ), both U(−1/√(K·Cᵢ), 1/√(K·Cᵢ)) as PyTorch's `nn.Conv1d`.
public final class CausalConvolution: Layer {
    public let inputChannels: Int
    public let outputChannels: Int
    public let kernelSize: Int
    public let dilation: Int
    private var weight: ParameterStore.View!
    private var bias: ParameterStore.View!
    private var columns: [Float] = []   // X̂ (B·L, K·Cᵢ), kept for backward
    private var batch = 0, length = 0

    public init(inputChannels: Int, outputChannels: Int, kernelSize: Int, dilation: Int) {
        precondition(inputChannels > 0 && outputChannels > 0 && kernelSize > 0 && dilation > 0, "CausalConvolution needs positive sizes")
        self.inputChannels = inputChannels
        self.outputChannels = outputChannels
        self.kernelSize = kernelSize
        self.dilation = dilation
    }

    /// Steps of the past one output sees, itself included: (K − 1)·d + 1.
    public var receptiveField: Int { (kernelSize - 1) * dilation + 1 }

    public func register(in store: ParameterStore, prefix: String) {
        weight = store.addParameter(prefix + "weight", shape: [outputChannels, kernelSize * inputChannels])
        bias = store.addParameter(prefix + "bias", shape: [outputChannels])
    }

    public func initialize(_ store: ParameterStore, generator: inout SeededGenerator) {
        let bound = 1 / Double(kernelSize * inputChannels).squareRoot()
        for index in weight.range.lowerBound..<bias.range.upperBound {
            store.values[index] = Float((generator.nextUniform() * 2 - 1) * bound)
        }
    }

    public func forward(_ input: Matrix, mode: Mode, store: ParameterStore) -> Matrix {
        precondition(input.columns % inputChannels == 0, "CausalConvolution expects a multiple of \(inputChannels) inputs, got \(input.columns)")
        batch = input.rows
        length = input.columns / inputChannels
        let batch = batch, length = length, inputChannels = inputChannels, kernelSize = kernelSize, dilation = dilation
        let outputChannels = outputChannels, weightOffset = weight.offset, biasOffset = bias.offset
        let width = kernelSize * inputChannels, steps = batch * length
        // im2col, sequences in blocks on the lanes; taps before step 0 are zero.
        columns = [Float](unsafeUninitializedCapacity: steps * width) { cols, initialized in
            input.values.withUnsafeBufferPointer { x in
                Lanes.forEachBlock(of: batch, work: steps * width) { sequences in
                    for sequence in sequences {
                        for t in 0..<length {
                            let row = cols.baseAddress! + (sequence * length + t) * width
                            for j in 0..<kernelSize {
                                let source = t - (kernelSize - 1 - j) * dilation
                                if source >= 0 {
                                    (row + j * inputChannels).update(from: x.baseAddress! + (sequence * length + source) * inputChannels, count: inputChannels)
                                } else {
                                    (row + j * inputChannels).update(repeating: 0, count: inputChannels)
                                }
                            }
                        }
                    }
                }
            }
            initialized = steps * width
        }
        // (B·L, Cₒ) in memory: the product (β = 0), then the bias added to every row (as `Linear`).
        return Matrix(rows: batch, columns: length * outputChannels) { out in
            store.values.withUnsafeBufferPointer { values in
                columns.withUnsafeBufferPointer { cols in
                    BLAS.sgemm(transposeA: false, transposeB: true, m: steps, n: outputChannels, k: width, alpha: 1,
                               a: cols.baseAddress!, lda: width, b: values.baseAddress! + weightOffset, ldb: width,
                               beta: 0, c: out.baseAddress!, ldc: outputChannels)
                    Lanes.forEachBlock(of: steps, work: steps * outputChannels) { block in
                        pretext_add_bias(out.baseAddress! + block.lowerBound * outputChannels, values.baseAddress! + biasOffset,
                                         block.count, outputChannels, 0)
                    }
                }
            }
        }
    }

    /// dW and db only (the first layer's input gradient is not needed).
    public func accumulateParameterGradients(_ outputGradient: Matrix, store: ParameterStore) {
        let width = kernelSize * inputChannels, steps = batch * length
        let outputChannels = outputChannels, weightOffset = weight.offset, biasOffset = bias.offset
        outputGradient.values.withUnsafeBufferPointer { dy in
            columns.withUnsafeBufferPointer { cols in
                store.gradients.withUnsafeMutableBufferPointer { grads in
                    // dW (Cₒ, K·Cᵢ) += dYᵀ (Cₒ, B·L) · X̂ (B·L, K·Cᵢ)
                    BLAS.sgemm(transposeA: true, transposeB: false, m: outputChannels, n: width, k: steps, alpha: 1,
                               a: dy.baseAddress!, lda: outputChannels, b: cols.baseAddress!, ldb: width,
                               beta: 1, c: grads.baseAddress! + weightOffset, ldc: width)
                    // db (Cₒ) += Σ_steps dY, each channel summed over steps in order (channel blocks on the lanes)
                    let db = grads.baseAddress! + biasOffset
                    Lanes.forEachBlock(of: outputChannels, work: steps * outputChannels) { channels in
                        for step in 0..<steps {
                            let source = dy.baseAddress! + step * outputChannels
                            for channel in channels { db[channel] += source[channel] }
                        }
                    }
                }
            }
        }
    }

    public func backward(_ outputGradient: Matrix, store: ParameterStore) -> Matrix {
        accumulateParameterGradients(outputGradient, store: store)
        let batch = batch, length = length, inputChannels = inputChannels, kernelSize = kernelSize, dilation = dilation
        let width = kernelSize * inputChannels, steps = batch * length
        // dX̂ (B·L, K·Cᵢ) = dY (B·L, Cₒ) · W (Cₒ, K·Cᵢ), every value written (β = 0)
        let columnGradient = [Float](unsafeUninitializedCapacity: steps * width) { dcols, initialized in
            outputGradient.values.withUnsafeBufferPointer { dy in
                store.values.withUnsafeBufferPointer { values in
                    BLAS.sgemm(transposeA: false, transposeB: false, m: steps, n: width, k: outputChannels, alpha: 1,
                               a: dy.baseAddress!, lda: outputChannels, b: values.baseAddress! + weight.offset, ldb: width,
                               beta: 0, c: dcols.baseAddress!, ldc: width)
                }
            }
            initialized = steps * width
        }
        // col2im: each sequence's taps added back in order, sequences in blocks on the lanes.
        return Matrix(rows: batch, columns: length * inputChannels) { dx in
            columnGradient.withUnsafeBufferPointer { dcols in
                Lanes.forEachBlock(of: batch, work: steps * width) { sequences in
                    let first = sequences.lowerBound * length * inputChannels, end = sequences.upperBound * length * inputChannels
                    (dx.baseAddress! + first).update(repeating: 0, count: end - first)
                    for sequence in sequences {
                        for t in 0..<length {
                            let row = dcols.baseAddress! + (sequence * length + t) * width
                            for j in 0..<kernelSize {
                                let source = t - (kernelSize - 1 - j) * dilation
                                guard source >= 0 else { continue }
                                let target = dx.baseAddress! + (sequence * length + source) * inputChannels
                                for channel in 0..<inputChannels { target[channel] += row[j * inputChannels + channel] }
                            }
                        }
                    }
                }
            }
        }
    }
}
