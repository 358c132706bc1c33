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
        let width = kernelSize * inputChannels, steps = batch * length
        columns = [Float](repeating: 0, count: steps * width)
        input.values.withUnsafeBufferPointer { x in
            columns.withUnsafeMutableBufferPointer { cols in
                for sequence in 0..<batch {
                    for t in 0..<length {
                        let row = cols.baseAddress! + (sequence * length + t) * width
                        for j in 0..<kernelSize {
                            let source = t - (kernelSize - 1 - j) * dilation
                            guard source >= 0 else { continue }
                            (row + j * inputChannels).update(from: x.baseAddress! + (sequence * length + source) * inputChannels, count: inputChannels)
                        }
                    }
                }
            }
        }
        var output = Matrix(rows: batch, columns: length * outputChannels)      // (B·L, Cₒ) in memory
        store.values.withUnsafeBufferPointer { values in
            columns.withUnsafeBufferPointer { cols in
                output.values.withUnsafeMutableBufferPointer { out in
                    for step in 0..<steps {
                        (out.baseAddress! + step * outputChannels).update(from: values.baseAddress! + bias.offset, count: outputChannels)
                    }
                    BLAS.sgemm(transposeA: false, transposeB: true, m: steps, n: outputChannels, k: width, alpha: 1,
                               a: cols.baseAddress!, lda: width, b: values.baseAddress! + weight.offset, ldb: width,
                               beta: 1, c: out.baseAddress!, ldc: outputChannels)
                }
            }
        }
        return output
    }

    public func backward(_ outputGradient: Matrix, store: ParameterStore) -> Matrix {
        let width = kernelSize * inputChannels, steps = batch * length
        var columnGradient = [Float](repeating: 0, count: steps * width)           // dX̂ (B·L, K·Cᵢ)
        outputGradient.values.withUnsafeBufferPointer { dy in
            columns.withUnsafeBufferPointer { cols in
                store.gradients.withUnsafeMutableBufferPointer { grads in
                    // dW (Cₒ, K·Cᵢ) += dYᵀ (Cₒ, B·L) · X̂ (B·L, K·Cᵢ)
                    BLAS.sgemm(transposeA: true, transposeB: false, m: outputChannels, n: width, k: steps, alpha: 1,
                               a: dy.baseAddress!, lda: outputChannels, b: cols.baseAddress!, ldb: width,
                               beta: 1, c: grads.baseAddress! + weight.offset, ldc: width)
                    let db = grads.baseAddress! + bias.offset
                    for step in 0..<steps {
                        let source = dy.baseAddress! + step * outputChannels
                        for channel in 0..<outputChannels { db[channel] += source[channel] }
                    }
                }
            }
            store.values.withUnsafeBufferPointer { values in
                columnGradient.withUnsafeMutableBufferPointer { dcols in
                    // dX̂ (B·L, K·Cᵢ) = dY (B·L, Cₒ) · W (Cₒ, K·Cᵢ)
                    BLAS.sgemm(transposeA: false, transposeB: false, m: steps, n: width, k: outputChannels, alpha: 1,
                               a: dy.baseAddress!, lda: outputChannels, b: values.baseAddress! + weight.offset, ldb: width,
                               beta: 0, c: dcols.baseAddress!, ldc: width)
                }
            }
        }
        var inputGradient = Matrix(rows: batch, columns: length * inputChannels)
        columnGradient.withUnsafeBufferPointer { dcols in
            inputGradient.values.withUnsafeMutableBufferPointer { dx in
                for sequence in 0..<batch {
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
        return inputGradient
    }
}
