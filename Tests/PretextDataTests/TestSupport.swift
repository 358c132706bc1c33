import Foundation
import XCTest
@testable import PretextData

/// A fresh temporary folder per test case, removed afterwards.
final class TemporaryFolder {
    let path: String

    init() {
        path = NSTemporaryDirectory() + "pretext-tests-" + UUID().uuidString
        try! FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(atPath: path) }

    @discardableResult
    func write(_ name: String, _ text: String) -> String { write(name, bytes: Array(text.utf8)) }

    @discardableResult
    func write(_ name: String, bytes: [UInt8]) -> String {
        let file = "\(path)/\(name)"
        FileManager.default.createFile(atPath: file, contents: Data(bytes))
        return file
    }

    /// gzip-compresses `text` with the system's gzip into `name`.
    func writeGzip(_ name: String, _ text: String) throws -> String {
        let plain = write(name + ".src", text)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", "gzip -c '\(plain)' > '\(path)/\(name)'"]
        try process.run()
        process.waitUntilExit()
        return "\(path)/\(name)"
    }
}

/// The repository's `datasets/` folder.
let datasetsPath: String = {
    var url = URL(fileURLWithPath: #filePath)
    for _ in 0..<3 { url.deleteLastPathComponent() }
    return url.appendingPathComponent("datasets").path
}()

func read(_ path: String, _ configure: (inout ReadOptions) -> Void = { _ in }) throws -> (table: Table, report: ReadReport) {
    var options = ReadOptions()
    configure(&options)
    return try CSVReader(options: options).read(path)
}

/// Asserts that `body` throws a `DataError` matching `check`, and returns it.
@discardableResult
func assertDataError<T>(_ body: @autoclosure () throws -> T, file: StaticString = #filePath, line: UInt = #line,
                        _ check: (DataError) -> Bool = { _ in true }) -> DataError? {
    do {
        _ = try body()
        XCTFail("expected a DataError, got a result", file: file, line: line)
        return nil
    } catch let error as DataError {
        XCTAssertTrue(check(error), "unexpected error: \(error)", file: file, line: line)
        return error
    } catch {
        XCTFail("expected a DataError, got \(error)", file: file, line: line)
        return nil
    }
}

extension Column {
    var floats: [Float] { floatValues ?? [] }
    var texts: [String] { (0..<count).map { text(at: $0) } }
}
