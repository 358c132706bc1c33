/// Pools a sequence representation (B, L·C), time-major, into one vector per sequence.
///
/// - `last`: y = h[L−1] (B, C) — after causal layers, the summary of the whole past;
///   backward puts dy on the last step.
/// - `mean`: y = (1/L) Σ_t h[t] (B, C); backward spreads dy/L over every step.
/// - `lastAndMean`: [h[L−1] ‖ mean_t h[t]] (B, 2C).
public final class TimePooling: Layer {
    public enum Kind: String, Codable, Sendable, CaseIterable {
        case last, mean
        case lastAndMean = "last-and-mean"
    }

    public let channels: Int
    public let kind: Kind
    private var length = 0

    public init(channels: Int, kind: Kind) {
        precondition(channels > 0, "TimePooling needs channels > 0")
        self.channels = channels
        self.kind = kind
    }

    public var outputWidth: Int { kind == .lastAndMean ? 2 * channels : channels }

    public func forward(_ input: Matrix, mode: Mode, store: ParameterStore) -> Matrix {
        precondition(input.columns % channels == 0 && input.columns > 0, "TimePooling expects a multiple of \(channels) inputs, got \(input.columns)")
        length = input.columns / channels
        let length = length, channels = channels, kind = kind, outputWidth = outputWidth, inputWidth = input.columns
        let meanOffset = kind == .lastAndMean ? channels : 0
        let scale = 1 / Float(length)
        return Matrix(rows: input.rows, columns: outputWidth) { out in                  // (B, C) or (B, 2C)
            input.values.withUnsafeBufferPointer { x in
                Lanes.forEachBlock(of: input.rows, work: x.count) { rows in
                    for row in rows {
                        let h = x.baseAddress! + row * inputWidth, y = out.baseAddress! + row * outputWidth
                        if kind != .mean {
                            y.update(from: h + (length - 1) * channels, count: channels)
                        }
                        if kind != .last {
                            let mean = y + meanOffset
                            mean.update(repeating: 0, count: channels)
                            for t in 0..<length {
                                let step = h + t * channels
                                for channel in 0..<channels { mean[channel] += step[channel] * scale }
                            }
                        }
                    }
                }
            }
        }
    }

    public func backward(_ outputGradient: Matrix, store: ParameterStore) -> Matrix {
        let length = length, channels = channels, kind = kind, outputWidth = outputGradient.columns
        let meanOffset = kind == .lastAndMean ? channels : 0
        let scale = 1 / Float(length)
        let inputWidth = length * channels
        return Matrix(rows: outputGradient.rows, columns: inputWidth) { dx in          // (B, L·C)
            outputGradient.values.withUnsafeBufferPointer { dy in
                Lanes.forEachBlock(of: outputGradient.rows, work: outputGradient.rows * inputWidth) { rows in
                    for row in rows {
                        let g = dy.baseAddress! + row * outputWidth, d = dx.baseAddress! + row * inputWidth
                        if kind != .last {
                            for t in 0..<length {
                                for channel in 0..<channels { d[t * channels + channel] = g[meanOffset + channel] * scale }
                            }
                        } else {
                            d.update(repeating: 0, count: inputWidth)
                        }
                        if kind != .mean {
                            for channel in 0..<channels { d[(length - 1) * channels + channel] += g[channel] }
                        }
                    }
                }
            }
        }
    }
}
