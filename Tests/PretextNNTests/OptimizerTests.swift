import Foundation
import XCTest
import PretextData
@testable import PretextNN

final class OptimizerTests: XCTestCase {
    func store(_ values: [Float], gradients: [Float]) -> ParameterStore {
        let store = ParameterStore()
        _ = store.addParameter("p", shape: [values.count])
        store.values = values
        store.gradients = gradients
        return store
    }

    func testSGDWithMomentum() throws {
        var config = OptimizerConfig()
        config.method = .sgd
        config.learningRate = 0.1
        config.momentum = 0.9
        let optimizer = try Optimizer(config: config, totalSteps: 10)
        let s = store([1, -2], gradients: [0.5, 1])
        optimizer.update(s)           // v = g; θ −= 0.1 g
        XCTAssertEqual(s.values, [0.95, -2.1])
        optimizer.update(s)           // v = 0.9 g + g = 1.9 g
        XCTAssertEqual(s.values[0], 0.95 - 0.1 * 0.95, accuracy: 1e-6)
        XCTAssertEqual(s.values[1], -2.1 - 0.1 * 1.9, accuracy: 1e-6)
    }

    /// Adam's first step moves every coordinate by −η·sign(g) (bias correction makes
    /// m̂ = g, v̂ = g²); later steps follow the formula computed here in Double.
    func testAdamMatchesTheFormula() throws {
        var config = OptimizerConfig()
        config.learningRate = 0.01
        let optimizer = try Optimizer(config: config, totalSteps: 10)
        let s = store([1, -2, 0.5], gradients: [0.3, -4, 1e-3])
        optimizer.update(s)
        XCTAssertEqual(s.values[0], 0.99, accuracy: 1e-6)
        XCTAssertEqual(s.values[1], -1.99, accuracy: 1e-6)
        XCTAssertEqual(s.values[2], 0.49, accuracy: 1e-5)
        // Second step with new gradients.
        s.gradients = [0.1, 0.2, -0.3]
        optimizer.update(s)
        let g1: [Double] = [0.3, -4, 1e-3], g2: [Double] = [0.1, 0.2, -0.3]
        let expectedStart: [Double] = [0.99, -1.99, 0.49]
        for index in 0..<3 {
            let m = 0.9 * 0.1 * g1[index] + 0.1 * g2[index]
            let v = 0.999 * 0.001 * g1[index] * g1[index] + 0.001 * g2[index] * g2[index]
            let mHat = m / (1 - 0.81), vHat = v / (1 - 0.999 * 0.999)
            XCTAssertEqual(Double(s.values[index]), expectedStart[index] - 0.01 * mHat / (vHat.squareRoot() + 1e-8), accuracy: 2e-5)
        }
    }

    func testAdamWDecaysWeightsDirectly() throws {
        var config = OptimizerConfig()
        config.method = .adamW
        config.learningRate = 0.1
        config.weightDecay = 0.5
        let optimizer = try Optimizer(config: config, totalSteps: 1)
        let s = store([2], gradients: [0])
        optimizer.update(s)      // zero gradient: only the decay θ −= ηλθ acts
        XCTAssertEqual(s.values[0], 2 - 0.1 * 0.5 * 2, accuracy: 1e-6)
        // Adam with L2 instead adds λθ to the gradient: a full −η step on the first update.
        config.method = .adam
        let coupled = try Optimizer(config: config, totalSteps: 1)
        let t = store([2], gradients: [0])
        coupled.update(t)
        XCTAssertEqual(t.values[0], 1.9, accuracy: 1e-5)
    }

    func testGradientClippingByGlobalNorm() throws {
        var config = OptimizerConfig()
        config.method = .sgd
        config.momentum = 0
        config.learningRate = 1
        config.gradientClipNorm = 1
        let optimizer = try Optimizer(config: config, totalSteps: 1)
        let s = store([0, 0], gradients: [3, 4])
        let norm = optimizer.update(s)
        XCTAssertEqual(try XCTUnwrap(norm), 5, accuracy: 1e-9)
        // Eight SIMD lanes plus a tail: 1² + … + 11² = 506.
        XCTAssertEqual(store([Float](repeating: 0, count: 11), gradients: (1...11).map(Float.init)).gradientNorm(), (506.0).squareRoot(), accuracy: 1e-9)
        // Without clipping the norm is not computed.
        XCTAssertNil(try Optimizer(config: OptimizerConfig(), totalSteps: 1).update(store([0, 0], gradients: [3, 4])))
        XCTAssertEqual(s.values[0], -0.6, accuracy: 1e-6)
        XCTAssertEqual(s.values[1], -0.8, accuracy: 1e-6)
    }

    func testCosineScheduleWithWarmup() {
        let schedule = LearningRateSchedule.cosine(warmupSteps: 4, minimumFactor: 0.1)
        XCTAssertEqual(schedule.factor(step: 0, totalSteps: 104), 0.25)
        XCTAssertEqual(schedule.factor(step: 3, totalSteps: 104), 1)
        XCTAssertEqual(schedule.factor(step: 4, totalSteps: 104), 1, accuracy: 1e-6)
        XCTAssertEqual(schedule.factor(step: 54, totalSteps: 104), 0.55, accuracy: 1e-6)
        XCTAssertEqual(schedule.factor(step: 104, totalSteps: 104), 0.1, accuracy: 1e-6)
        XCTAssertEqual(LearningRateSchedule.constant.factor(step: 7, totalSteps: 10), 1)
    }

    func testInvalidSettingsAreRejected() {
        var config = OptimizerConfig()
        config.learningRate = .infinity
        XCTAssertThrowsError(try Optimizer(config: config, totalSteps: 1))
        config = OptimizerConfig()
        config.beta2 = 1
        XCTAssertThrowsError(try Optimizer(config: config, totalSteps: 1))
        config = OptimizerConfig()
        config.schedule = .cosine(warmupSteps: -1, minimumFactor: 0)
        XCTAssertThrowsError(try Optimizer(config: config, totalSteps: 1))
    }

    /// The kernel family is the fastest the CPU allows, unless the user chose one
    /// (checked in a child process in the CLI tests).
    func testBLASLoadsWithCPUChosenKernels() throws {
        let status = try BLAS.load()
        if ProcessInfo.processInfo.environment["OPENBLAS_CORETYPE"] == nil, let family = BLAS.cpuKernelFamily {
            XCTAssertEqual(status.coreName.lowercased(), family.lowercased(), "\(status)")
            XCTAssertTrue(status.chosenByPretext)
        }
        let a = Matrix(rows: 2, columns: 3, values: [1, 2, 3, 4, 5, 6])
        let b = Matrix(rows: 3, columns: 2, values: [7, 8, 9, 10, 11, 12])
        XCTAssertEqual(Matrix.product(a, b).values, [58, 64, 139, 154])
        XCTAssertEqual(Matrix.product(a, transposeA: true, a).values, [17, 22, 27, 22, 29, 36, 27, 36, 45])
    }

    /// The C kernel (AVX when available) against the documented formulas in Swift,
    /// bit for bit, over several steps, with L2 (Adam) and decoupled decay (AdamW), on
    /// one lane and split over three (50,003 parameters are cut into ranges).
    func testAdamKernelMatchesTheScalarDefinitionExactly() throws {
        let savedLanes = Lanes.count
        defer { BLAS.setThreads(savedLanes) }
        for (method, count, lanes) in [(OptimizerConfig.Method.adam, 1_003, 1), (.adamW, 1_003, 1), (.adam, 50_003, 3), (.adamW, 50_003, 3)] {
            BLAS.setThreads(lanes)
            var config = OptimizerConfig()
            config.method = method
            config.learningRate = 3e-3
            config.weightDecay = 0.01
            let optimizer = try Optimizer(config: config, totalSteps: 10)
            var generator = SeededGenerator(seed: 5)
            // count: AVX blocks and a scalar tail
            var theta = (0..<count).map { _ in Float(generator.nextNormal()) }
            let parameters = store(theta, gradients: [Float](repeating: 0, count: count))
            var m = [Float](repeating: 0, count: count), v = m
            for step in 1...3 {
                let gradient = (0..<count).map { _ in Float(generator.nextNormal()) }
                parameters.gradients = gradient
                optimizer.update(parameters)
                // Reference: the Optimizer's documented update, written out.
                let (beta1, beta2, epsilon, rate) = (config.beta1, config.beta2, config.epsilon, config.learningRate)
                let stepSize = rate / (1 - Float(pow(Double(beta1), Double(step))))
                let inverseRootCorrection2 = 1 / (1 - Float(pow(Double(beta2), Double(step)))).squareRoot()
                let decayFactor: Float = method == .adamW ? 1 - rate * config.weightDecay : 1
                let l2: Float = method == .adamW ? 0 : config.weightDecay
                for index in 0..<count {
                    let g = gradient[index] * 1 + l2 * theta[index]
                    m[index] = beta1 * m[index] + (1 - beta1) * g
                    v[index] = beta2 * v[index] + (1 - beta2) * g * g
                    theta[index] = theta[index] * decayFactor - stepSize * m[index] / (v[index].squareRoot() * inverseRootCorrection2 + epsilon)
                }
                XCTAssertEqual(parameters.values, theta, "\(method) step \(step), \(count) parameters on \(lanes) lane(s)")
            }
        }
    }
}
