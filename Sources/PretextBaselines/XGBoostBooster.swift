import CXGBoost
import Foundation
import PretextData

/// An XGBoost error, with the library's own message.
public struct XGBoostError: Error, Sendable, Equatable, CustomStringConvertible {
    public var call: String
    public var message: String
    public var description: String { "XGBoost \(call) failed: \(message)" }
}

/// XGBoost's booster and data matrices behind Swift types. This is the only file that
/// touches XGBoost's handles; every call's status is checked and turned into
/// `XGBoostError` with `XGBGetLastError()`'s message.
final class XGBoostBooster {
    private var handle: BoosterHandle?
    private var matrices: [DMatrixHandle?] = []

    /// A dense float matrix (row-major, NaN = missing) with optional labels.
    final class DataMatrix {
        fileprivate var handle: DMatrixHandle?

        init(_ values: [Float], rows: Int, columns: Int, labels: [Float]? = nil) throws {
            try check("XGDMatrixCreateFromMat") {
                values.withUnsafeBufferPointer { XGDMatrixCreateFromMat($0.baseAddress, bst_ulong(rows), bst_ulong(columns), .nan, &handle) }
            }
            if let labels {
                try check("XGDMatrixSetFloatInfo") {
                    labels.withUnsafeBufferPointer { XGDMatrixSetFloatInfo(handle, "label", $0.baseAddress, bst_ulong(labels.count)) }
                }
            }
        }

        deinit { if let handle { XGDMatrixFree(handle) } }
    }

    /// A booster trained on `train` (and able to evaluate on `evaluation`).
    init(parameters: [(String, String)], cache: [DataMatrix]) throws {
        var handles = cache.map(\.handle)
        try Self.check("XGBoosterCreate") { XGBoosterCreate(&handles, bst_ulong(handles.count), &handle) }
        for (name, value) in parameters {
            try Self.check("XGBoosterSetParam(\(name))") { XGBoosterSetParam(handle, name, value) }
        }
    }

    /// A booster restored from XGBoost's JSON model.
    init(json: [UInt8], parameters: [(String, String)]) throws {
        try Self.check("XGBoosterCreate") { XGBoosterCreate(nil, 0, &handle) }
        try Self.check("XGBoosterLoadModelFromBuffer") {
            json.withUnsafeBytes { XGBoosterLoadModelFromBuffer(handle, $0.baseAddress, bst_ulong(json.count)) }
        }
        for (name, value) in parameters {
            try Self.check("XGBoosterSetParam(\(name))") { XGBoosterSetParam(handle, name, value) }
        }
    }

    deinit { if let handle { XGBoosterFree(handle) } }

    /// Sets one parameter after creation (e.g. the thread count for prediction).
    func setParameter(_ name: String, _ value: String) throws {
        try Self.check("XGBoosterSetParam(\(name))") { XGBoosterSetParam(handle, name, value) }
    }

    func updateOneIteration(_ iteration: Int, train: DataMatrix) throws {
        try Self.check("XGBoosterUpdateOneIter") { XGBoosterUpdateOneIter(handle, Int32(iteration), train.handle) }
    }

    /// The evaluation metric on `data` after `iteration` (XGBoost's first metric).
    func evaluate(_ iteration: Int, data: DataMatrix) throws -> Double {
        var handles = [data.handle]
        var result: UnsafePointer<CChar>? = nil
        try "validation".withCString { name in
            var names: [UnsafePointer<CChar>?] = [name]
            try Self.check("XGBoosterEvalOneIter") { XGBoosterEvalOneIter(handle, Int32(iteration), &handles, &names, 1, &result) }
        }
        let text = String(cString: result!)   // "[3]\tvalidation-logloss:0.2345"
        guard let value = text.split(separator: ":").last.flatMap({ Double($0.trimmingCharacters(in: .whitespaces)) }) else {
            throw XGBoostError(call: "XGBoosterEvalOneIter", message: "unexpected result \"\(text)\"")
        }
        return value
    }

    /// Predictions of the first `iterations` rounds (0 = all): (rows, outputs) row-major.
    func predict(_ data: DataMatrix, iterations: Int) throws -> (values: [Float], outputs: Int) {
        let config = "{\"type\": 0, \"training\": false, \"iteration_begin\": 0, \"iteration_end\": \(iterations), \"strict_shape\": true}"
        var shape: UnsafePointer<bst_ulong>? = nil
        var dimensions: bst_ulong = 0
        var result: UnsafePointer<Float>? = nil
        try Self.check("XGBoosterPredictFromDMatrix") { XGBoosterPredictFromDMatrix(handle, data.handle, config, &shape, &dimensions, &result) }
        let sizes = (0..<Int(dimensions)).map { Int(shape![$0]) }
        let count = sizes.reduce(1, *)
        return (Array(UnsafeBufferPointer(start: result, count: count)), sizes.count > 1 ? sizes[1] : 1)
    }

    /// XGBoost's own JSON model.
    func json() throws -> [UInt8] {
        var length: bst_ulong = 0
        var bytes: UnsafePointer<CChar>? = nil
        try Self.check("XGBoosterSaveModelToBuffer") { XGBoosterSaveModelToBuffer(handle, "{\"format\": \"json\"}", &length, &bytes) }
        return bytes!.withMemoryRebound(to: UInt8.self, capacity: Int(length)) { Array(UnsafeBufferPointer(start: $0, count: Int(length))) }
    }

    private static func check(_ call: String, _ body: () throws -> Int32) throws {
        if try body() != 0 { throw XGBoostError(call: call, message: String(cString: XGBGetLastError())) }
    }
}

private func check(_ call: String, _ body: () -> Int32) throws {
    if body() != 0 { throw XGBoostError(call: call, message: String(cString: XGBGetLastError())) }
}

/// Library users get the CLI's message from `localizedDescription`.
extension XGBoostError: LocalizedError {
    public var errorDescription: String? { description }
}
