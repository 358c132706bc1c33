import PretextData
import PretextNN
import PretextSSL

/// How a source table's columns map onto a target table's (by name).
public struct ColumnAlignment: Sendable, Equatable, CustomStringConvertible {
    /// Feature columns both tables have.
    public var matched: [String]
    /// Source feature columns the target lacks: fed as missing.
    public var missing: [String]
    /// Target feature columns the source lacks: new inputs with fresh weights.
    public var new: [String]

    public var description: String {
        var lines = ["matched \(matched.count) column(s) by name"]
        if !missing.isEmpty { lines.append("missing from the target, fed as missing: \(missing.joined(separator: ", "))") }
        if !new.isEmpty { lines.append("new in the target, given fresh input weights: \(new.joined(separator: ", "))") }
        return lines.joined(separator: "\n")
    }
}

/// Moves a pretrained encoder to a table whose columns overlap the source's but differ.
///
/// Columns are aligned by name. The source's preprocessing is kept for the columns it
/// knows; a source column the target lacks becomes optional and is fed as missing (its
/// missing indicator set where the source had one, its fit median in any case). The
/// target's new feature columns get their own preprocessing, fitted on the given target
/// rows, appended after the source features. The encoder's first layer keeps its
/// weights for the source features and gets freshly initialised weights
/// (U(−1/√I, 1/√I), as `Linear`) for the new features; every other layer is copied.
public enum TableAlignment {
    /// How `encoder`'s input columns meet `table`'s feature columns, by name (no data read).
    public static func columns(_ encoder: PretrainedEncoder, _ table: Table) -> ColumnAlignment {
        let sourceColumns = encoder.preprocessor.features.map(\.name)
        let targetFeatures = table.columns.filter { $0.role == .feature }.map(\.name)
        return ColumnAlignment(matched: sourceColumns.filter { targetFeatures.contains($0) },
                               missing: sourceColumns.filter { !targetFeatures.contains($0) },
                               new: targetFeatures.filter { !sourceColumns.contains($0) })
    }

    public static func align(_ encoder: PretrainedEncoder, to table: Table, rows: [Int]? = nil, seed: UInt64 = 0) throws
        -> (encoder: PretrainedEncoder, alignment: ColumnAlignment) {
        let source = encoder.preprocessor
        let alignment = columns(encoder, table)
        if alignment.missing.isEmpty && alignment.new.isEmpty { return (encoder, alignment) }

        // Preprocessing for the new columns, fitted on the target rows.
        var extra: [FeatureState] = []
        if !alignment.new.isEmpty {
            var newOnly = table
            for index in newOnly.columns.indices where newOnly.columns[index].role == .feature && !alignment.new.contains(newOnly.columns[index].name) {
                newOnly.columns[index].role = .ignored
            }
            extra = try Preprocessor(config: source.config).fit(newOnly, rows: rows ?? Array(0..<table.rowCount)).features
        }
        let combined = FittedPreprocessor(config: source.config, features: source.features + extra, notes: source.notes,
                                          optionalColumns: Array(Set((source.optionalColumns ?? []) + alignment.missing)).sorted())
        let inputs = combined.featureNames.count
        let oldInputs = encoder.network.inputDimensions
        let network = try Network(architecture: encoder.network.architecture, inputDimensions: inputs,
                                  outputDimensions: encoder.network.hasProjection ? encoder.network.outputDimensions : nil, seed: seed)
        // Copy every tensor; the first layer's weight (H, I) gets its old columns.
        let old = encoder.network.store, fresh = network.store
        for (oldView, newView) in zip(old.views, fresh.views) {
            if oldView.shape == newView.shape {
                fresh.values.replaceSubrange(newView.range, with: old.values[oldView.range])
            } else {
                precondition(oldView.shape.count == 2 && oldView.shape[0] == newView.shape[0] && oldView.shape[1] == oldInputs,
                             "only the first layer's input width changes")
                let outputs = newView.shape[0]
                for row in 0..<outputs {
                    for column in 0..<oldInputs {
                        fresh.values[newView.offset + row * inputs + column] = old.values[oldView.offset + row * oldInputs + column]
                    }
                }
            }
        }
        fresh.buffers = old.buffers
        return (PretrainedEncoder(preprocessor: combined, network: network, config: encoder.config, history: encoder.history), alignment)
    }
}
