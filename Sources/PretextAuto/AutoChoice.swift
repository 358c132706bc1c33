import PretextBaselines
import PretextNN
import PretextTransfer

/// The model `auto` chose, ready to predict and save.
public enum AutoChoice {
    case network(TabularModel)
    case trees(GradientBoostedTrees)
    /// The linear model, and the choice (its model file has no place for one).
    case linear(LinearChoice)
    /// The average of several candidates' probabilities.
    case ensemble(EnsembleModel)

    public var predictor: TabularPredictor {
        switch self {
        case .network(let model): return model
        case .trees(let model): return model
        case .linear(let linear): return linear.model
        case .ensemble(let model): return model
        }
    }

    public var choice: ModelChoice? {
        switch self {
        case .network(let model): return model.choice
        case .trees(let model): return model.choice
        case .linear(let linear): return linear.fitted?.choice
        case .ensemble(let model): return model.choice
        }
    }

    func recording(_ choice: ModelChoice) -> AutoChoice {
        switch self {
        case .network(let model): model.choice = choice
        case .trees(let model): model.choice = choice
        case .linear(let linear): linear.fitted?.choice = choice
        case .ensemble(let model): model.choice = choice
        }
        return self
    }

    /// Saves the chosen model with the record of the choice (ids: for the kinds that keep them).
    public func save(to path: String, idColumns: [String]) throws {
        switch self {
        case .network(let model):
            model.idColumns = idColumns
            try model.save(to: path)
        case .trees(let model):
            model.idColumns = idColumns
            try model.save(to: path)
        case .linear(let linear):
            try linear.save(to: path)
        case .ensemble(let model):
            model.idColumns = idColumns
            try model.save(to: path)
        }
    }
}

/// The linear model `auto` chose.
public struct LinearChoice {
    /// An `MLPClassifier` or `MLPRegressor` with a linear architecture.
    public let model: TabularPredictor

    var fitted: FittedSupervisedModel? { (model as? MLPClassifier)?.fitted ?? (model as? MLPRegressor)?.fitted }

    func save(to path: String) throws {
        if let classifier = model as? MLPClassifier { try classifier.save(to: path) }
        else if let regressor = model as? MLPRegressor { try regressor.save(to: path) }
    }
}
