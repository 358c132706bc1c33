import Foundation
import XCTest
import PretextTestSupport
import PretextData
@testable import PretextNN

final class ModelFileTests: XCTestCase {
    let folder: String = {
        let path = NSTemporaryDirectory() + "pretext-nn-" + UUID().uuidString
        try! FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }()

    override func tearDown() { try? FileManager.default.removeItem(atPath: folder) }

    func fixture(_ name: String) -> String { Bundle.module.path(forResource: name, ofType: nil, inDirectory: "Fixtures")! }

    func testReadsAFileWrittenByPythonSafetensors() throws {
        let file = try SafeTensors.read(from: fixture("python_written.safetensors"))
        XCTAssertEqual(file.metadata["written_by"], "python safetensors")
        let weight = try XCTUnwrap(file["layer.weight"])
        XCTAssertEqual(weight.shape, [3, 4])
        XCTAssertEqual(weight.values, (0..<12).map { Float($0) / 10 - 0.5 })
        XCTAssertEqual(file["layer.bias"]?.values, [0.25, -1.5, 3.0])
    }

    func testRoundTripAndAtomicWrite() throws {
        let file = SafeTensors(tensors: [.init(name: "a", shape: [2, 2], values: [1, -2, 3.5, .infinity]),
                                         .init(name: "b", shape: [3], values: [0, 1, 2])],
                               metadata: ["k": "v"])
        let path = folder + "/t.safetensors"
        try file.write(to: path)
        XCTAssertEqual(try SafeTensors.read(from: path), file)
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: folder).filter { $0.contains("partial") }
        XCTAssertEqual(leftovers, [])
        XCTAssertThrowsError(try file.write(to: folder)) { XCTAssertTrue("\($0)".contains("directory")) }
        XCTAssertThrowsError(try file.write(to: "/nonexistent-folder/x.safetensors"))
    }

    func testClassifierSaveLoadPredictsIdentically() throws {
        let table = try loadTable("wine.csv")
        let model = try MLPClassifier(config: smallConfig(epochs: 10)).fit(table)
        let path = folder + "/wine.safetensors"
        try model.save(to: path)
        // PRETEXT_KEEP_MODEL=path keeps a copy, for `Fixtures/make_fixtures.py --check-model`.
        if let keep = ProcessInfo.processInfo.environment["PRETEXT_KEEP_MODEL"] {
            try? FileManager.default.removeItem(atPath: keep)
            try FileManager.default.copyItem(atPath: path, toPath: keep)
        }
        let loaded = try MLPClassifier.load(from: path)
        XCTAssertEqual(try loaded.predictProbabilities(table), try model.predictProbabilities(table))
        XCTAssertEqual(loaded.classNames, ["class_0", "class_1", "class_2"])
        // The wrong kind of model is refused with a clear error.
        XCTAssertThrowsError(try MLPRegressor.load(from: path)) { error in
            XCTAssertEqual(error as? ModelFileError, .wrongKind(path: path, found: "mlp-classifier", expected: ["mlp-regressor"]))
        }
    }

    func testDamagedFilesAreTypedErrorsNeverCrashes() throws {
        let table = try loadTable("diabetes.csv")
        let model = try MLPRegressor(config: smallConfig(epochs: 3)).fit(table)
        let path = folder + "/m.safetensors"
        try model.save(to: path)
        let bytes = Array(FileManager.default.contents(atPath: path)!)

        func expectFailure(_ name: String, _ mutated: [UInt8], _ check: (ModelFileError) -> Bool) {
            let damaged = folder + "/\(name).safetensors"
            FileManager.default.createFile(atPath: damaged, contents: Data(mutated))
            XCTAssertThrowsError(try MLPRegressor.load(from: damaged), name) { error in
                guard let error = error as? ModelFileError else { return XCTFail("\(name): \(error)") }
                XCTAssertTrue(check(error), "\(name): \(error)")
            }
        }
        for cut in [0, 4, 8, 100, bytes.count / 2, bytes.count - 1] {
            expectFailure("truncated-\(cut)", Array(bytes.prefix(cut))) {
                if case .truncated = $0 { return true }
                if case .corrupt = $0 { return true }
                return false
            }
        }
        var flipped = bytes
        flipped[bytes.count - 10] ^= 0x40
        expectFailure("bitflip", flipped) { $0 == .checksumMismatch(path: self.folder + "/bitflip.safetensors") }

        var file = try SafeTensors.read(from: path)
        file.metadata["pretext.format_version"] = "99"
        expectFailure("newer", try file.serialized()) { if case .newerFormat(_, 99, ModelFile.formatVersion) = $0 { return true }; return false }
        file.metadata = [:]
        expectFailure("foreign", try file.serialized()) { if case .notPretext = $0 { return true }; return false }
        expectFailure("garbage", Array("not a model at all, just text".utf8)) {
            if case .truncated = $0 { return true }
            if case .corrupt = $0 { return true }
            return false
        }
        XCTAssertThrowsError(try MLPRegressor.load(from: folder + "/missing.safetensors")) {
            XCTAssertEqual($0 as? ModelFileError, .notFound(path: self.folder + "/missing.safetensors"))
        }
    }
}

/// A 4-5-3 MLP's logits, cross-entropy and gradients against NumPy (float64) values
/// from `Fixtures/make_fixtures.py`.
final class GoldenValueTests: XCTestCase {
    func testSmallMLPMatchesNumPy() throws {
        let url = Bundle.module.url(forResource: "mlp_reference", withExtension: "json", subdirectory: "Fixtures")!
        let reference = try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as! [String: Any]
        func matrix(_ name: String) -> [Float] {
            if let rows = reference[name] as? [[Double]] { return rows.flatMap { $0.map(Float.init) } }
            return (reference[name] as! [Double]).map(Float.init)
        }
        let network = Sequential([Linear(4, 5), ReLU(), Linear(5, 3)])
        let store = ParameterStore()
        network.register(in: store, prefix: "")
        let order = ["w1", "b1", "w2", "b2"]
        for (view, name) in zip(store.views, order) { store.values.replaceSubrange(view.range, with: matrix(name)) }
        let x = Matrix(rows: 6, columns: 4, values: matrix("x"))
        let logits = network.forward(x, mode: .training, store: store)
        let labels = (reference["labels"] as! [Int]).map { Int32($0) }
        let loss = SoftmaxCrossEntropy.compute(logits: logits, labels: labels)
        store.zeroGradients()
        let dx = network.backward(loss.gradient, store: store)

        var worst: Float = 0
        func compare(_ ours: [Float], _ name: String) {
            let theirs = matrix(name)
            XCTAssertEqual(ours.count, theirs.count, name)
            for (a, b) in zip(ours, theirs) {
                worst = max(worst, abs(a - b))
                XCTAssertEqual(a, b, accuracy: 1e-5 + 1e-5 * abs(b), name)
            }
        }
        compare(logits.values, "logits")
        XCTAssertEqual(loss.value, reference["loss"] as! Double, accuracy: 1e-6)
        for (view, name) in zip(store.views, ["d_w1", "d_b1", "d_w2", "d_b2"]) { compare(Array(store.gradients[view.range]), name) }
        compare(dx.values, "d_x")
        print("golden MLP vs NumPy: largest difference \(worst)")
    }
}
