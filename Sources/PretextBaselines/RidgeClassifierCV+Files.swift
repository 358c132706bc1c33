import PretextData
import PretextNN

/// The ridge's part of a model file and its predictions as probabilities, shared by the
/// classifiers that end in it (`MiniRocketClassifier`, `EncoderRidgeClassifier`).
extension RidgeClassifierCV {
    /// `ridge.scale` (features,), `ridge.coefficients` (outputs, features), `ridge.intercepts` (outputs,).
    var tensors: [SafeTensors.Tensor] {
        [SafeTensors.Tensor(name: "ridge.scale", shape: [features], values: scale),
         SafeTensors.Tensor(name: "ridge.coefficients", shape: [outputs, features], values: coefficients),
         SafeTensors.Tensor(name: "ridge.intercepts", shape: [outputs], values: intercepts)]
    }

    /// The ridge written by `tensors`, for `features` inputs and `outputs` outputs; a
    /// missing or mis-sized tensor is a corrupt file.
    static func restored(from file: SafeTensors, path: String, features: Int, outputs: Int, classNames: [String],
                         alpha: Double, leaveOneOutError: Double, temperature: Float?) throws -> RidgeClassifierCV {
        func tensor(_ name: String, count: Int) throws -> [Float] {
            guard let tensor = file[name], tensor.values.count == count else {
                throw ModelFileError.corrupt(path: path, reason: "tensor \(name) is missing or has the wrong size")
            }
            return tensor.values
        }
        return RidgeClassifierCV(classNames: classNames, scale: try tensor("ridge.scale", count: features),
                                 coefficients: try tensor("ridge.coefficients", count: outputs * features),
                                 intercepts: try tensor("ridge.intercepts", count: outputs),
                                 alpha: alpha, leaveOneOutError: leaveOneOutError, temperature: temperature)
    }

    /// (rows, classes): softmax(d / T) of the decision values d of each row of `x` (rows,
    /// features) — for two classes (σ(−d/T), σ(d/T)) — or, for a model saved without a
    /// temperature, 1 on the ridge's class and 0 elsewhere.
    func probabilities(_ x: [Float], rows: Int) -> Matrix {
        guard let temperature else {
            var oneHot = Matrix(rows: rows, columns: classNames.count)
            for (row, label) in predict(x, rows: rows).enumerated() { oneHot[row, Int(label)] = 1 }
            return oneHot
        }
        let logits = Self.logits(decision(x, rows: rows), rows: rows, classes: classNames.count)
        return SoftmaxCrossEntropy.probabilities(TemperatureScaling.apply(logits, temperature: temperature))
    }
}
