import Foundation
import XCTest

/// What a help text promises parses: every example command line of every command, and
/// every value an option's help lists (its own words, ArgumentParser's "(values: …)",
/// quoted examples), is accepted by the parser and its validation.
///
/// Nothing is run for real: every CSV and model path is replaced by a file that does not
/// exist, so a command that parsed fails in its first read with exit code 1 and
/// "error: …", while a parse or validation failure exits with 64 (usage).
final class HelpValuesTests: XCTestCase {
    static let missingCSV = "/nonexistent/pretext-help-check.csv"
    static let missingModel = "/nonexistent/pretext-help-check.safetensors"

    /// The fewest arguments each command needs besides the option under test.
    static let minimal: [[String]: [String]] = [
        ["inspect"]: [missingCSV],
        ["cache"]: [missingCSV, "-o", "/nonexistent/out.pretext"],
        ["pretrain"]: [missingCSV, "--target", "y", "-o", "/nonexistent/out.safetensors"],
        ["finetune"]: [missingCSV, "--target", "y", "--encoder", missingModel, "-o", "/nonexistent/out.safetensors"],
        ["fit"]: [missingCSV, "--target", "y", "-o", "/nonexistent/out.safetensors"],
        ["predict"]: [missingModel, missingCSV, "-o", "/nonexistent/out.csv"],
        ["embed"]: [missingModel, missingCSV, "-o", "/nonexistent/out.csv"],
        ["compare"]: [missingCSV, "--target", "y", "-o", "/nonexistent/report"],
        ["series", "pretrain"]: [missingCSV, "-o", "/nonexistent/out.safetensors"],
        ["series", "forecast"]: [missingCSV, "-o", "/nonexistent/out.csv"],
        ["series", "classify"]: [missingCSV, "--target", "y", "-o", "/nonexistent/out.safetensors"],
        ["series", "compare"]: [missingCSV, "-o", "/nonexistent/report"],
    ]

    func testEveryExampleInEveryHelpParses() throws {
        var checked = 0
        for command in HelpTests.commands where command.first != "bench" {
            let help = try runPretext(command + ["--help"]).standardOutput
            for example in Self.examples(in: help) {
                // A pipe into another program ends the pretext command line.
                let commandLine = example.components(separatedBy: " | ")[0]
                let arguments = Self.tokens(commandLine).dropFirst().map { token -> String in
                    if token.hasSuffix(".safetensors") { return Self.missingModel }
                    if token.hasSuffix(".csv") || token.hasSuffix(".csv.gz") || token.hasSuffix(".tsv") { return Self.missingCSV }
                    return token
                }
                guard arguments.first != "bench" else { continue }
                let result = try runPretext(Array(arguments))
                XCTAssertEqual(result.status, 1, "example of `\(command.joined(separator: " "))` does not parse: \(example)\n\(result.standardError)")
                XCTAssertTrue(result.standardError.contains("error:"), "\(example): \(result.standardError)")
                checked += 1
            }
        }
        XCTAssertGreaterThan(checked, 25, "the help texts' examples were not found")
    }

    /// In an 80-column terminal (and in a pipe, where ArgumentParser assumes 80) the
    /// examples read as in a wide one: a line the help re-wraps would break without a
    /// backslash, and pasted into a shell it would run half a command.
    func testExamplesStayWholeInEightyColumns() throws {
        for command in HelpTests.commands {
            let wide = try runPretext(command + ["--help"]).standardOutput
            let narrow = try runPretext(command + ["--help"], environment: ["COLUMNS": "80"]).standardOutput
            XCTAssertEqual(Self.examples(in: narrow), Self.examples(in: wide), "`\(command.joined(separator: " "))` examples wrap at 80 columns")
        }
    }

    func testEveryValueAHelpTextListsParses() throws {
        var checked: Set<String> = []
        for (command, minimal) in Self.minimal {
            let help = try runPretext(command + ["--help"]).standardOutput
            for (option, values) in Self.listedValues(in: help) {
                for value in values {
                    let result = try runPretext(command + minimal + [option, value])
                    // Parsed: the run fails on the missing file (1), or validation asks for
                    // an option this value needs (64, e.g. encoder-ridge without --encoder)
                    // — but never "the value is invalid".
                    let parsed = result.status == 1 || (result.status == 64 && !result.standardError.contains("is invalid for")
                                                        && !result.standardError.contains("Unknown option"))
                    XCTAssertTrue(parsed, "`pretext \(command.joined(separator: " ")) \(option) \(value)`, listed in its help, does not parse (exit \(result.status)):\n\(result.standardError)")
                    checked.insert("\(option) \(value)")
                }
            }
        }
        // The lists the help texts are known to hold must have been found.
        for expected in ["--strategy freeze-then-unfreeze", "--method xgboost", "--method seasonal-naive", "--objective reconstruct",
                         "--encoder-kind mlp", "--fill linear", "--delimiter tab", "--methods scarf-full", "--labels 5%",
                         "--objective supervised"] {
            XCTAssertTrue(checked.contains(expected), "\(expected) was not found in any help text: \(checked.sorted())")
        }
    }

    /// Deprecated spellings still work for one release, with a note, and conflict with
    /// their new spelling when both are given.
    func testDeprecatedSpellingsAreAcceptedWithANote() throws {
        for (command, old, new) in [(["fit"], "--epochs", "--fine-tune-epochs"), (["compare"], "--seeds", "--repeats"),
                                    (["series", "pretrain"], "--stride", "--pretrain-stride"),
                                    (["series", "pretrain"], "--patience", "--pretrain-patience"),
                                    (["series", "forecast"], "--width", "--encoder-width")] {
            let accepted = try runPretext(command + Self.minimal[command]! + [old, "3"])
            XCTAssertEqual(accepted.status, 1, accepted.standardError)
            XCTAssertTrue(accepted.standardError.contains("note: \(old) is deprecated"), accepted.standardError)
            XCTAssertTrue(accepted.standardError.contains("use \(new)"), accepted.standardError)
            let both = try runPretext(command + Self.minimal[command]! + [old, "3", new, "4"])
            XCTAssertEqual(both.status, 64, both.standardError)
            XCTAssertTrue(both.standardError.contains("\(old) is the old spelling of \(new)"), both.standardError)
        }
        XCTAssertFalse(try runPretext(["fit", "--help"]).standardOutput.contains("--epochs"), "deprecated spellings stay out of --help")
        // Without the old spelling there is no note (an optional new option once printed it always).
        for command in Self.minimal.keys {
            let plain = try runPretext(command + Self.minimal[command]!)
            XCTAssertFalse(plain.standardError.contains("deprecated"), "\(command): \(plain.standardError)")
        }
    }

    // MARK: Reading help texts

    /// The command lines under "Examples:", continuation lines joined; a launcher prefix
    /// (`mpirun -np 2 pretext …`, `PRETEXT_GEMM=openblas pretext …`) is dropped.
    static func examples(in help: String) -> [String] {
        var examples: [String] = []
        var inExamples = false
        var current = ""
        for line in help.split(separator: "\n", omittingEmptySubsequences: false) {
            if line.hasPrefix("Examples:") { inExamples = true; continue }
            guard inExamples else { continue }
            let text = line.trimmingCharacters(in: .whitespaces)
            if text.hasPrefix("USAGE:") { break }
            if text.isEmpty { continue }
            current += (current.isEmpty ? "" : " ") + (text.hasSuffix("\\") ? String(text.dropLast()).trimmingCharacters(in: .whitespaces) : text)
            if !text.hasSuffix("\\") {
                if let start = current.range(of: "pretext ")?.lowerBound,
                   current[..<start].split(separator: " ").allSatisfy({ $0.contains("=") || $0.hasPrefix("-") || $0.allSatisfy(\.isNumber) || $0 == "mpirun" }) {
                    examples.append(String(current[start...]))
                }
                current = ""
            }
        }
        return examples
    }

    /// Shell-like words: spaces separate, double or single quotes group.
    static func tokens(_ line: String) -> [String] {
        var words: [String] = [], word = "", quote: Character? = nil, inWord = false
        for character in line {
            if let open = quote {
                if character == open { quote = nil } else { word.append(character) }
            } else if character == "\"" || character == "'" {
                quote = character
                inWord = true
            } else if character == " " {
                if inWord { words.append(word); word = ""; inWord = false }
            } else {
                word.append(character)
                inWord = true
            }
        }
        if inWord { words.append(word) }
        return words
    }

    /// Per value-taking option, the values its help lists: "(values: a, b; …)", the
    /// description's own "x, y or z" list (after a colon, parenthesised asides dropped),
    /// values after "e.g." or "such as", and quoted examples.
    static func listedValues(in help: String) -> [(String, [String])] {
        var entries: [(String, String)] = []
        var inOptions = false
        for line in help.split(separator: "\n", omittingEmptySubsequences: false) {
            if line.hasPrefix("OPTIONS:") { inOptions = true; continue }
            guard inOptions else { continue }
            let text = line.trimmingCharacters(in: .whitespaces)
            if line.hasPrefix("  -") {
                guard let match = line.range(of: #"--[a-z-]+ <[a-z-]+>"#, options: .regularExpression) else { entries.append(("", "")); continue }
                let option = String(line[match].split(separator: " ")[0])
                entries.append((option, String(line[match.upperBound...]).trimmingCharacters(in: .whitespaces)))
            } else if !text.isEmpty, let last = entries.popLast() {
                entries.append((last.0, last.1 + " " + text))
            }
        }
        let word = #"^[A-Za-z0-9%][A-Za-z0-9%+,.;|/-]*$"#
        return entries.filter { !$0.0.isEmpty }.map { option, description in
            var values: [String] = []
            if let range = description.range(of: #"\(values: [^;)]*"#, options: .regularExpression) {
                values += description[range].dropFirst("(values: ".count).components(separatedBy: ", ")
            }
            var own = description.components(separatedBy: " (values:")[0].components(separatedBy: " (default")[0]
            for case let quoted in own.matches(of: #/["']([^"' ]+)["']/#) { values.append(String(quoted.output.1)) }
            for case let aside in own.matches(of: #/\((?:e\.g\.|such as) ([^)]*)\)/#) {
                values += aside.output.1.components(separatedBy: ", ").filter { $0.range(of: word, options: .regularExpression) != nil }
            }
            own = own.replacing(#/\([^)]*\)/#, with: "")
            var sentence = own.components(separatedBy: ". ")[0]
            if let colon = sentence.range(of: ": ") { sentence = String(sentence[colon.upperBound...]) }
            if let suchAs = sentence.range(of: "such as ") {
                let example = sentence[suchAs.upperBound...].split(separator: " ").first.map { String($0).trimmingCharacters(in: CharacterSet(charactersIn: ".,")) }
                if let example { values.append(example) }
            }
            var listed: [String] = []
            // A value list ends "…, y or z": without an "or" there is no list.
            let parts = sentence.contains(" or ") ? sentence.replacing(#/,? or /#, with: ", ").components(separatedBy: ", ") : []
            for part in parts {
                let candidate = part.trimmingCharacters(in: CharacterSet(charactersIn: " .")).trimmingCharacters(in: CharacterSet(charactersIn: "'"))
                guard candidate.range(of: word, options: .regularExpression) != nil else { continue }
                listed.append(candidate)
            }
            if listed.count >= 2 { values += listed }
            var seen: Set<String> = []
            return (option, values.filter { seen.insert($0).inserted })
        }.filter { !$0.1.isEmpty }
    }
}
