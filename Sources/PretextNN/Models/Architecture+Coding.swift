/// Model files spell an architecture `{"kind": "mlp", "config": {…}}` (`"linear"` has no
/// config). Files written before release 0.9 carry Swift's synthesized form,
/// `{"mlp": {"_0": {…}}}`; both are read, only the explicit one is written, so renaming
/// a Swift case can no longer break old files.
extension Architecture {
    private enum CodingKeys: String, CodingKey { case kind, config }
    private enum LegacyKeys: String, CodingKey { case mlp, resnet, linear, tcn }
    private enum LegacyPayloadKeys: String, CodingKey { case payload = "_0" }

    public init(from decoder: Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        if let kind = try container.decodeIfPresent(String.self, forKey: .kind) {
            switch kind {
            case "mlp": self = .mlp(try container.decode(MLPConfig.self, forKey: .config))
            case "resnet": self = .resnet(try container.decode(ResNetConfig.self, forKey: .config))
            case "linear": self = .linear
            case "tcn": self = .tcn(try container.decode(TCNConfig.self, forKey: .config))
            default:
                throw DecodingError.dataCorruptedError(forKey: .kind, in: container,
                                                       debugDescription: "unknown architecture \"\(kind)\" (expected mlp, resnet, linear or tcn)")
            }
            return
        }
        let legacy = try decoder.container(keyedBy: LegacyKeys.self)
        func payload<Config: Decodable>(_ key: LegacyKeys, _ type: Config.Type) throws -> Config {
            try legacy.nestedContainer(keyedBy: LegacyPayloadKeys.self, forKey: key).decode(type, forKey: .payload)
        }
        if legacy.contains(.mlp) { self = .mlp(try payload(.mlp, MLPConfig.self)) }
        else if legacy.contains(.resnet) { self = .resnet(try payload(.resnet, ResNetConfig.self)) }
        else if legacy.contains(.linear) { self = .linear }
        else if legacy.contains(.tcn) { self = .tcn(try payload(.tcn, TCNConfig.self)) }
        else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "no architecture kind"))
        }
    }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        switch self {
        case .mlp(let config):
            try container.encode("mlp", forKey: .kind)
            try container.encode(config, forKey: .config)
        case .resnet(let config):
            try container.encode("resnet", forKey: .kind)
            try container.encode(config, forKey: .config)
        case .linear:
            try container.encode("linear", forKey: .kind)
        case .tcn(let config):
            try container.encode("tcn", forKey: .kind)
            try container.encode(config, forKey: .config)
        }
    }
}

/// `{"kind": "constant"}` or `{"kind": "cosine", "warmup_steps": W, "minimum_factor": m}`;
/// the synthesized form of earlier files (`{"constant": {}}`,
/// `{"cosine": {"warmupSteps": W, "minimumFactor": m}}`) is read too.
extension LearningRateSchedule {
    private enum CodingKeys: String, CodingKey {
        case kind
        case warmupSteps = "warmup_steps"
        case minimumFactor = "minimum_factor"
    }
    private enum LegacyKeys: String, CodingKey { case constant, cosine }
    private enum LegacyCosineKeys: String, CodingKey { case warmupSteps, minimumFactor }

    public init(from decoder: Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        if let kind = try container.decodeIfPresent(String.self, forKey: .kind) {
            switch kind {
            case "constant": self = .constant
            case "cosine":
                self = .cosine(warmupSteps: try container.decode(Int.self, forKey: .warmupSteps),
                               minimumFactor: try container.decode(Float.self, forKey: .minimumFactor))
            default:
                throw DecodingError.dataCorruptedError(forKey: .kind, in: container, debugDescription: "unknown schedule \"\(kind)\"")
            }
            return
        }
        let legacy = try decoder.container(keyedBy: LegacyKeys.self)
        if legacy.contains(.cosine) {
            let cosine = try legacy.nestedContainer(keyedBy: LegacyCosineKeys.self, forKey: .cosine)
            self = .cosine(warmupSteps: try cosine.decode(Int.self, forKey: .warmupSteps),
                           minimumFactor: try cosine.decode(Float.self, forKey: .minimumFactor))
        } else if legacy.contains(.constant) {
            self = .constant
        } else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "no schedule kind"))
        }
    }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        switch self {
        case .constant:
            try container.encode("constant", forKey: .kind)
        case .cosine(let warmup, let minimum):
            try container.encode("cosine", forKey: .kind)
            try container.encode(warmup, forKey: .warmupSteps)
            try container.encode(minimum, forKey: .minimumFactor)
        }
    }
}
