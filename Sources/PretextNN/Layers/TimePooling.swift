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
        var output = Matrix(rows: input.rows, columns: outputWidth)
        let meanOffset = kind == .lastAndMean ? channels : 0
        let scale = 1 / Float(length)
        for row in 0..<input.rows {
            let base = row * input.columns
            if kind != .mean {
                for channel in 0..<channels { output[row, channel] = input.values[base + (length - 1) * channels + channel] }
            }
            if kind != .last {
                for t in 0..<length {
                    for channel in 0..<channels { output.values[row * outputWidth + meanOffset + channel] += input.values[base + t * channels + channel] * scale }
                }
            }
        }
        return output
    }

    public func backward(_ outputGradient: Matrix, store: ParameterStore) -> Matrix {
        var inputGradient = Matrix(rows: outputGradient.rows, columns: length * channels)
        let meanOffset = kind == .lastAndMean ? channels : 0
        let scale = 1 / Float(length)
        for row in 0..<outputGradient.rows {
            let base = row * inputGradient.columns
            if kind != .last {
                for t in 0..<length {
                    for channel in 0..<channels { inputGradient.values[base + t * channels + channel] = outputGradient[row, meanOffset + channel] * scale }
                }
            }
            if kind != .mean {
                for channel in 0..<channels { inputGradient.values[base + (length - 1) * channels + channel] += outputGradient[row, channel] }
            }
        }
        return inputGradient
    }
}
