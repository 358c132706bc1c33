/// Model files spell a fitted feature `{"kind": "numeric" | "categorical", "feature": {…}}`;
/// the synthesized form of earlier files (`{"numeric": {"_0": {…}}}`) is read too.
extension FeatureState {
    private enum CodingKeys: String, CodingKey { case kind, feature }
    private enum LegacyKeys: String, CodingKey { case numeric, categorical }
    private enum LegacyPayloadKeys: String, CodingKey { case payload = "_0" }

    public init(from decoder: Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        if let kind = try container.decodeIfPresent(String.self, forKey: .kind) {
            switch kind {
            case "numeric": self = .numeric(try container.decode(NumericFeature.self, forKey: .feature))
            case "categorical": self = .categorical(try container.decode(CategoricalFeature.self, forKey: .feature))
            default:
                throw DecodingError.dataCorruptedError(forKey: .kind, in: container, debugDescription: "unknown feature kind \"\(kind)\"")
            }
            return
        }
        let legacy = try decoder.container(keyedBy: LegacyKeys.self)
        if legacy.contains(.numeric) {
            self = .numeric(try legacy.nestedContainer(keyedBy: LegacyPayloadKeys.self, forKey: .numeric).decode(NumericFeature.self, forKey: .payload))
        } else if legacy.contains(.categorical) {
            self = .categorical(try legacy.nestedContainer(keyedBy: LegacyPayloadKeys.self, forKey: .categorical)
                .decode(CategoricalFeature.self, forKey: .payload))
        } else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "no feature kind"))
        }
    }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        switch self {
        case .numeric(let feature):
            try container.encode("numeric", forKey: .kind)
            try container.encode(feature, forKey: .feature)
        case .categorical(let feature):
            try container.encode("categorical", forKey: .kind)
            try container.encode(feature, forKey: .feature)
        }
    }
}
