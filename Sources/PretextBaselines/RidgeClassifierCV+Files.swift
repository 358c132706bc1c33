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
                         alpha: Double, leaveOneOutError: Double) throws -> RidgeClassifierCV {
        func tensor(_ name: String, count: Int) throws -> [Float] {
            guard let tensor = file[name], tensor.values.count == count else {
                throw ModelFileError.corrupt(path: path, reason: "tensor \(name) is missing or has the wrong size")
            }
            return tensor.values
        }
        return RidgeClassifierCV(classNames: classNames, scale: try tensor("ridge.scale", count: features),
                                 coefficients: try tensor("ridge.coefficients", count: outputs * features),
                                 intercepts: try tensor("ridge.intercepts", count: outputs),
                                 alpha: alpha, leaveOneOutError: leaveOneOutError)
    }

    /// (rows, classes): 1 on the ridge's class of each row of `x` (rows, features), 0 elsewhere.
    func oneHot(_ x: [Float], rows: Int) -> Matrix {
        var probabilities = Matrix(rows: rows, columns: classNames.count)
        for (row, label) in predict(x, rows: rows).enumerated() { probabilities[row, Int(label)] = 1 }
        return probabilities
    }
}
