#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The outcome of reading one field as a number.
public enum ParsedNumber: Equatable, Sendable {
    case value(Float)
    case notANumber
    case outOfRange
}

/// A fast, correctly rounded decimal-text → `Float` converter for CSV fields.
///
/// Grammar: optional spaces, optional sign, digits with an optional `.` fraction (at
/// least one digit in all), optional exponent `e`/`E` with optional sign and digits,
/// optional spaces; or (case-insensitively) `inf`, `infinity`, `nan` with optional sign.
///
/// Method (Clinger 1990): when the significand has at most 19 digits, fits in 2^53 and
/// the decimal exponent q has |q| ≤ 22, both m and 10^|q| are exact doubles, so
/// `m × 10^q` (or `m / 10^-q`) is the correctly rounded double d. Rounding d to `Float`
/// equals rounding the exact value unless d sits exactly on a midpoint between two
/// floats (a midpoint strictly between the value and d would be a closer double); that
/// case, and every value outside the fast path, goes to the C library's correctly
/// rounded `strtof`. So the result is always the correctly rounded `Float`.
public enum FastFloat {
    /// 10^exponent for 0 ≤ exponent ≤ 22, all exact doubles.
    @inline(__always)
    private static func powerOfTen(_ exponent: Int) -> Double {
        switch exponent {
        case 0: return 1e0
        case 1: return 1e1
        case 2: return 1e2
        case 3: return 1e3
        case 4: return 1e4
        case 5: return 1e5
        case 6: return 1e6
        case 7: return 1e7
        case 8: return 1e8
        case 9: return 1e9
        case 10: return 1e10
        case 11: return 1e11
        case 12: return 1e12
        case 13: return 1e13
        case 14: return 1e14
        case 15: return 1e15
        case 16: return 1e16
        case 17: return 1e17
        case 18: return 1e18
        case 19: return 1e19
        case 20: return 1e20
        case 21: return 1e21
        default: return 1e22
        }
    }

    /// Parses `count` bytes at `start`.
    @inline(__always)
    public static func parse(_ start: UnsafePointer<UInt8>, count: Int) -> ParsedNumber {
        var begin = 0
        var end = count
        while begin < end, start[begin] == 0x20 { begin += 1 }
        while end > begin, start[end - 1] == 0x20 { end -= 1 }
        if begin == end { return .notANumber }

        var index = begin
        var negative = false
        if start[index] == UInt8(ascii: "-") || start[index] == UInt8(ascii: "+") {
            negative = start[index] == UInt8(ascii: "-")
            index += 1
            if index == end { return .notANumber }
        }
        let first = start[index] | 0x20
        if first == UInt8(ascii: "i") || first == UInt8(ascii: "n") {
            return parseSpecial(start + index, count: end - index, negative: negative)
        }

        var significand: UInt64 = 0
        var significantDigits = 0
        var digitCount = 0
        var exponent = 0
        var truncated = false
        // Integer part.
        while index < end {
            let digit = start[index] &- 48
            if digit > 9 { break }
            digitCount += 1
            if significand == 0 && digit == 0 {
                // leading zero: not significant
            } else if significantDigits < 19 {
                significand = significand &* 10 &+ UInt64(digit)
                significantDigits += 1
            } else {
                exponent += 1
                truncated = truncated || digit != 0
            }
            index += 1
        }
        // Fraction.
        if index < end, start[index] == UInt8(ascii: ".") {
            index += 1
            while index < end {
                let digit = start[index] &- 48
                if digit > 9 { break }
                digitCount += 1
                if significand == 0 && digit == 0 {
                    exponent -= 1
                } else if significantDigits < 19 {
                    significand = significand &* 10 &+ UInt64(digit)
                    significantDigits += 1
                    exponent -= 1
                } else {
                    truncated = truncated || digit != 0
                }
                index += 1
            }
        }
        if digitCount == 0 { return .notANumber }
        // Exponent.
        if index < end, start[index] | 0x20 == UInt8(ascii: "e") {
            index += 1
            var exponentNegative = false
            if index < end, start[index] == UInt8(ascii: "-") || start[index] == UInt8(ascii: "+") {
                exponentNegative = start[index] == UInt8(ascii: "-")
                index += 1
            }
            var explicit = 0
            var exponentDigits = 0
            while index < end {
                let digit = start[index] &- 48
                if digit > 9 { break }
                if explicit < 100_000 { explicit = explicit * 10 + Int(digit) }
                exponentDigits += 1
                index += 1
            }
            if exponentDigits == 0 { return .notANumber }
            exponent += exponentNegative ? -explicit : explicit
        }
        if index != end { return .notANumber }

        if significand == 0 { return .value(negative ? -0.0 : 0.0) }
        if !truncated, significand <= (1 << 53), exponent >= -22, exponent <= 22 {
            var double = Double(significand)
            if exponent >= 0 { double *= powerOfTen(exponent) } else { double /= powerOfTen(-exponent) }
            let rounded = Float(double)
            if rounded.isInfinite { return .outOfRange }
            if Double(rounded) == double || !isMidpoint(double, nearest: rounded) {
                return .value(negative ? -rounded : rounded)
            }
        }
        return slowParse(start + begin, count: end - begin)
    }

    /// Convenience for tests and small inputs.
    public static func parse(_ text: String) -> ParsedNumber {
        var copy = text
        return copy.withUTF8 { buffer in
            guard let base = buffer.baseAddress else { return .notANumber }
            return parse(base, count: buffer.count)
        }
    }

    /// Whether `value` lies exactly halfway between two floats: in the normal float
    /// range, exactly when the 29 significand bits a float drops read 1000…0. Values
    /// below the normal range are reported as midpoints so they take the exact path.
    @inline(__always)
    private static func isMidpoint(_ value: Double, nearest: Float) -> Bool {
        if abs(value) < Double(Float.leastNormalMagnitude) { return true }
        return value.bitPattern & 0x1fff_ffff == 0x1000_0000
    }

    private static func parseSpecial(_ start: UnsafePointer<UInt8>, count: Int, negative: Bool) -> ParsedNumber {
        var lowered = [UInt8]()
        lowered.reserveCapacity(count)
        for index in 0..<count { lowered.append(start[index] | 0x20) }
        switch String(decoding: lowered, as: UTF8.self) {
        case "inf", "infinity": return .value(negative ? -.infinity : .infinity)
        case "nan": return .value(.nan)
        default: return .notANumber
        }
    }

    /// The C library's correctly rounded conversion, for the rare values the fast path
    /// cannot decide.
    private static func slowParse(_ start: UnsafePointer<UInt8>, count: Int) -> ParsedNumber {
        var buffer = [CChar](repeating: 0, count: count + 1)
        for index in 0..<count { buffer[index] = CChar(bitPattern: start[index]) }
        return buffer.withUnsafeMutableBufferPointer { pointer -> ParsedNumber in
            errno = 0
            var endPointer: UnsafeMutablePointer<CChar>? = nil
            let value = strtof(pointer.baseAddress!, &endPointer)
            if endPointer != pointer.baseAddress! + count { return .notANumber }
            if value.isInfinite && errno == ERANGE { return .outOfRange }
            return .value(value)
        }
    }
}
