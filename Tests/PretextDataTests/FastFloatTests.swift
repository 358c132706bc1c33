import Foundation
import XCTest
@testable import PretextData

final class FastFloatTests: XCTestCase {
    func testOrdinaryForms() {
        let cases: [(String, Float)] = [
            ("0", 0), ("1", 1), ("-1", -1), ("+2.5", 2.5), ("3.", 3), (".5", 0.5), ("-.25", -0.25),
            ("1e3", 1000), ("1E-3", 0.001), ("2.5e+2", 250), ("  42  ", 42), ("007", 7),
            ("123456789", 123_456_789), ("0.1", 0.1), ("3.4028234e38", .greatestFiniteMagnitude),
            ("1e-50", 0), ("12345678901234567890123", 1.2345679e22),
        ]
        for (text, expected) in cases {
            XCTAssertEqual(FastFloat.parse(text), .value(expected), text)
        }
    }

    func testSpecialValues() {
        XCTAssertEqual(FastFloat.parse("inf"), .value(.infinity))
        XCTAssertEqual(FastFloat.parse("-Infinity"), .value(-.infinity))
        guard case .value(let nan) = FastFloat.parse("nan") else { return XCTFail("nan must parse") }
        XCTAssertTrue(nan.isNaN)
        XCTAssertEqual(FastFloat.parse("INF"), .value(.infinity))
        XCTAssertEqual(FastFloat.parse("+iNfInItY"), .value(.infinity))
        guard case .value(let upper) = FastFloat.parse("-NaN") else { return XCTFail("-NaN must parse") }
        XCTAssertTrue(upper.isNaN)
        // Words that start like the special values are text.
        for text in ["iota", "no", "none", "infinit", "infinityx", "nana", "i", "n", "-inf2"] {
            XCTAssertEqual(FastFloat.parse(text), .notANumber, text)
        }
    }

    /// Integers of up to 7 digits take a shortcut (exact in a `Float`); at 8 digits and
    /// beyond, or with a fraction or exponent after them, the scaled path decides.
    func testShortIntegersAndWhatFollowsThem() {
        let cases: [(String, Float)] = [
            ("9999999", 9_999_999), ("-9999999", -9_999_999), ("16777217", 16_777_216), ("-0", -0.0),
            ("0000000000123", 123), ("7.", 7), ("7e1", 70), ("7E-1", 0.7), ("1234567.5", 1_234_567.5),
        ]
        for (text, expected) in cases {
            XCTAssertEqual(FastFloat.parse(text), .value(expected), text)
        }
        guard case .value(let negativeZero) = FastFloat.parse("-0") else { return XCTFail("-0 must parse") }
        XCTAssertEqual(negativeZero.sign, .minus)
    }

    func testRejectsNonNumbers() {
        for text in ["", " ", "-", "+", ".", "e5", "1e", "1e+", "1.2.3", "12a", "abc", "1,5", "0x10", "--1", "in", "nanx", "1 2"] {
            XCTAssertEqual(FastFloat.parse(text), .notANumber, "\"\(text)\"")
        }
    }

    /// The first-byte test that spares text fields the parser's call must never turn away
    /// a field `parse` would read as a number: every byte value, before the endings that
    /// make a number (or `inf`/`nan`) of it.
    func testFirstByteTestNeverRejectsANumber() {
        let endings = ["", "1", "5e3", ".5", "nf", "NF", "an", "AN", "nfinity", "0 ", " 7"]
        for byte in 0...255 {
            let first = UInt8(byte)
            if FastFloat.mayStartNumber(first) { continue }
            for ending in endings {
                let bytes = [first] + Array(ending.utf8)
                let parsed = bytes.withUnsafeBufferPointer { FastFloat.parse($0.baseAddress!, count: $0.count) }
                XCTAssertEqual(parsed, .notANumber, "byte \(byte) then \"\(ending)\"")
            }
        }
        for text in ["-1", "+1", ".5", "7", " 7", "inf", "Inf", "nan", "NaN"] {
            XCTAssertTrue(FastFloat.mayStartNumber(Array(text.utf8)[0]), text)
        }
    }

    func testOutOfRange() {
        XCTAssertEqual(FastFloat.parse("1e39"), .outOfRange)
        XCTAssertEqual(FastFloat.parse("-3.5e38"), .outOfRange)
        XCTAssertEqual(FastFloat.parse("1e400"), .outOfRange)
    }

    /// The result must equal the correctly rounded conversion (Swift's `Float(String)`)
    /// on random decimals of every length, including float midpoints.
    func testCorrectRoundingAgainstReference() {
        var generator = SeededGenerator(seed: 7)
        var checked = 0
        for _ in 0..<200_000 {
            let digits = 1 + generator.nextInt(below: 17)
            var text = generator.nextUniform() < 0.5 ? "-" : ""
            for index in 0..<digits {
                text += String(generator.nextInt(below: 10))
                if index == generator.nextInt(below: digits) && !text.contains(".") { text += "." }
            }
            if generator.nextUniform() < 0.3 { text += "e\(generator.nextInt(below: 61) - 30)" }
            guard let reference = Float(text) else { continue }
            XCTAssertEqual(FastFloat.parse(text), reference.isInfinite ? .outOfRange : .value(reference), text)
            checked += 1
        }
        // Exact midpoints between neighbouring floats must round to even.
        for _ in 0..<20_000 {
            let float = Float(bitPattern: UInt32(generator.nextInt(below: 0x7f00_0000)) + 0x0080_0000)
            let midpoint = (Double(float) + Double(float.nextUp)) / 2
            let text = String(format: "%.17g", midpoint)
            XCTAssertEqual(FastFloat.parse(text), .value(Float(text)!), text)
        }
        XCTAssertGreaterThan(checked, 150_000)
    }
}

extension FastFloatTests {
    /// Inside a chunk a number is followed by the rest of its record, so `scan` can take
    /// its short path (two word loads when 16 bytes follow); `parse` on an exact-size
    /// buffer rarely can. Random short decimals, each followed by a terminator and more
    /// bytes, must scan to the correctly rounded value and stop right after the number.
    func testScanInsideARecordMatchesTheReference() {
        var generator = SeededGenerator(seed: 11)
        let terminators = [",", "\n", "\r", " ", "\"", "x", ";"]
        var checked = 0
        for _ in 0..<200_000 {
            let integerDigits = generator.nextInt(below: 9)
            let fractionDigits = generator.nextInt(below: 3) == 0 ? -1 : generator.nextInt(below: 18)   // −1: no `.`
            var text = ["", "-", "+"][generator.nextInt(below: 3)]
            for _ in 0..<integerDigits { text += String(generator.nextInt(below: 10)) }
            if fractionDigits >= 0 {
                text += "."
                for _ in 0..<fractionDigits { text += String(generator.nextInt(below: 10)) }
            }
            if generator.nextInt(below: 10) == 0 { text += "e\(generator.nextInt(below: 21) - 10)" }
            let record = Array((text + terminators[generator.nextInt(below: terminators.count)] + "0123456789abcdef0123").utf8)
            let (parsed, stop) = record.withUnsafeBufferPointer { FastFloat.scan($0.baseAddress!, from: 0, limit: $0.count) }
            // The same text alone (no bytes after it: the short path must not read past the end).
            let alone = Array(text.utf8).withUnsafeBufferPointer { FastFloat.parse($0.baseAddress!, count: $0.count) }
            guard let reference = Float(text) else {
                XCTAssertEqual(parsed, .notANumber, text)
                XCTAssertEqual(alone, .notANumber, text)
                continue
            }
            XCTAssertEqual(parsed, .value(reference), text)
            XCTAssertEqual(alone, .value(reference), text)
            XCTAssertEqual(stop, text.utf8.count, text)
            if case .value(let value) = parsed, value == 0 { XCTAssertEqual(value.sign, reference.sign, text) }
            checked += 1
        }
        XCTAssertGreaterThan(checked, 150_000)
    }
}

final class EightDigitTests: XCTestCase {
    func testLeadingDigitRuns() {
        let cases: [(String, UInt64, Int)] = [
            ("12345678", 12_345_678, 8), ("1234,567", 1234, 4), ("9.876543", 9, 1), ("x1234567", 0, 0),
            ("00000001", 1, 8), ("1234567\n", 1_234_567, 7), ("99999999", 99_999_999, 8), ("5/000000", 5, 1),
        ]
        for (text, value, count) in cases {
            let bytes = Array(text.utf8)
            let (parsed, digits) = bytes.withUnsafeBufferPointer { FastFloat.eightDigits($0.baseAddress!) }
            XCTAssertEqual(digits, count, text)
            XCTAssertEqual(parsed, value, text)
        }
    }
}
