import PretextData
import PretextNN

/// Which encoder reads a window of a series.
public struct SeriesEncoderConfig: Codable, Sendable, Equatable {
    public enum Kind: String, Codable, Sendable, CaseIterable {
        /// A causal dilated convolutional network (`TCNConfig`): a representation at every
        /// step, pooled; its weights do not depend on the window length, so it transfers
        /// between lookbacks and to whole-series classification. Default.
        case tcn
        /// An MLP over the flattened window (L·2C inputs): tied to one window length.
        case mlp
    }

    public var kind: Kind = .tcn
    /// Width 64, kernel 3, dilations 1, 2, 4, 8 (receptive field 31 steps), last-and-mean
    /// pooling (representation 128).
    public var tcn = TCNConfig()
    /// 2 × 128 ReLU.
    public var mlp = MLPConfig(depth: 2, hiddenWidth: 128)

    public init() {}

    /// The architecture for windows with `channels` value channels (2·channels inputs per
    /// step: values and observed flags).
    public func architecture(channels: Int) -> Architecture {
        switch kind {
        case .tcn:
            var config = tcn
            config.inputChannels = 2 * channels
            return .tcn(config)
        case .mlp:
            return .mlp(mlp)
        }
    }
}
