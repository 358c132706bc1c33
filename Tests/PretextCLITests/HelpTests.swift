import Foundation
import XCTest

/// Every command's `--help` against a golden file (`PRETEXT_RECORD_GOLDEN=1` re-records),
/// and `--version`.
final class HelpTests: XCTestCase {
    static let commands: [[String]] = [
        [], ["inspect"], ["cache"], ["pretrain"], ["finetune"], ["fit"], ["predict"], ["embed"], ["compare"],
        ["series"], ["series", "pretrain"], ["series", "forecast"], ["series", "classify"], ["series", "compare"],
        ["bench"], ["bench", "ingest"], ["bench", "gemm"], ["bench", "train"],
    ]

    func testEveryCommandsHelpMatchesItsGoldenFile() throws {
        for command in Self.commands {
            let result = try runPretext(command + ["--help"])
            XCTAssertEqual(result.status, 0, "\(command): \(result.standardError)")
            let name = command.isEmpty ? "pretext" : command.joined(separator: "-")
            try assertGolden(result.standardOutput, named: "\(name)-help.txt")
        }
    }

    func testVersion() throws {
        let result = try runPretext(["--version"])
        XCTAssertEqual(result.status, 0)
        XCTAssertTrue(result.standardOutput.range(of: #"^pretext \d+\.\d+\.\d+\n$"#, options: .regularExpression) != nil,
                      result.standardOutput)
    }
}
