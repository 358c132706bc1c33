import Foundation
import XCTest

/// Runs the built `pretext` binary and captures its output.
struct CLIResult {
    var status: Int32
    var standardOutput: String
    var standardError: String
}

let repositoryRoot: URL = {
    var url = URL(fileURLWithPath: #filePath)
    for _ in 0..<3 { url.deleteLastPathComponent() }
    return url
}()

func runPretext(_ arguments: [String], in directory: URL = repositoryRoot, environment extra: [String: String] = [:]) throws -> CLIResult {
    try runProcess(pretextBinary, arguments, in: directory, environment: extra)
}

/// The `pretext` binary the tests run.
let pretextBinary = Bundle.main.bundleURL.appendingPathComponent("pretext")

/// Runs `executable` with `arguments` (COLUMNS=100 plus `extra` in its environment).
func runProcess(_ executable: URL, _ arguments: [String], in directory: URL = repositoryRoot,
                environment extra: [String: String] = [:]) throws -> CLIResult {
    let process = Process()
    process.executableURL = executable
    process.arguments = arguments
    process.currentDirectoryURL = directory
    var environment = ProcessInfo.processInfo.environment
    environment["COLUMNS"] = "100"
    environment.merge(extra) { _, new in new }
    process.environment = environment
    let output = Pipe(), error = Pipe()
    process.standardOutput = output
    process.standardError = error
    try process.run()
    let outData = output.fileHandleForReading.readDataToEndOfFile()
    let errData = error.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return CLIResult(status: process.terminationStatus, standardOutput: String(decoding: outData, as: UTF8.self),
                     standardError: String(decoding: errData, as: UTF8.self))
}

/// Compares `text` with a golden file; `PRETEXT_RECORD_GOLDEN=1` re-records it.
func assertGolden(_ text: String, named name: String, file: StaticString = #filePath, line: UInt = #line) throws {
    let path = repositoryRoot.appendingPathComponent("Tests/PretextCLITests/Golden/\(name)")
    if ProcessInfo.processInfo.environment["PRETEXT_RECORD_GOLDEN"] == "1" {
        try text.write(to: path, atomically: true, encoding: .utf8)
        return
    }
    let expected = try String(contentsOf: path, encoding: .utf8)
    XCTAssertEqual(text, expected, "golden file \(name) differs; re-record with PRETEXT_RECORD_GOLDEN=1", file: file, line: line)
}
