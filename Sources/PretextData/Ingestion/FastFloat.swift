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
/// Method: the first 18 significant digits form an integer m (< 2⁶³, so it converts
/// to a double in one instruction) and the value is
/// x = m · 10^q. The double d = fl(m · fl(10^q)) differs from x by at most 3 units in
/// the last place of a double (one rounding each for m, 10^q and the product; digits
/// beyond the 18th change x by under 10⁻¹⁷ relative). Rounding d to `Float` equals
/// rounding x unless a float midpoint lies within that distance of d, which the 29
/// bits a float drops from d's significand tell directly (|low29 − 2²⁸| ≤ 8). Those
/// rare values, subnormal floats and exponents outside ±64 go to the C library's
/// correctly rounded `strtof`. So the result is always the correctly rounded `Float`,
/// at the cost of one multiplication on the common path.
public enum FastFloat {
    /// 10^k for k in −64...64, each the correctly rounded double of its literal.
    private static let powersOfTen: [Double] = [
        1e-64, 1e-63, 1e-62, 1e-61, 1e-60, 1e-59, 1e-58, 1e-57,
        1e-56, 1e-55, 1e-54, 1e-53, 1e-52, 1e-51, 1e-50, 1e-49,
        1e-48, 1e-47, 1e-46, 1e-45, 1e-44, 1e-43, 1e-42, 1e-41,
        1e-40, 1e-39, 1e-38, 1e-37, 1e-36, 1e-35, 1e-34, 1e-33,
        1e-32, 1e-31, 1e-30, 1e-29, 1e-28, 1e-27, 1e-26, 1e-25,
        1e-24, 1e-23, 1e-22, 1e-21, 1e-20, 1e-19, 1e-18, 1e-17,
        1e-16, 1e-15, 1e-14, 1e-13, 1e-12, 1e-11, 1e-10, 1e-9,
        1e-8, 1e-7, 1e-6, 1e-5, 1e-4, 1e-3, 1e-2, 1e-1,
        1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7,
        1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15,
        1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22, 1e23,
        1e24, 1e25, 1e26, 1e27, 1e28, 1e29, 1e30, 1e31,
        1e32, 1e33, 1e34, 1e35, 1e36, 1e37, 1e38, 1e39,
        1e40, 1e41, 1e42, 1e43, 1e44, 1e45, 1e46, 1e47,
        1e48, 1e49, 1e50, 1e51, 1e52, 1e53, 1e54, 1e55,
        1e56, 1e57, 1e58, 1e59, 1e60, 1e61, 1e62, 1e63,
        1e64
    ]

    /// False when a field starting with `byte` cannot be a number under `parse`'s grammar
    /// (not a space, sign, digit, `.`, or the first letter of `inf`/`nan`): text such as
    /// "true" or "alpha" is told apart before the call.
    @inline(__always)
    public static func mayStartNumber(_ byte: UInt8) -> Bool {
        (byte &- 48) <= 9 || byte == 0x2e || byte == 0x2d || byte == 0x2b || byte == 0x20
            || byte | 0x20 == UInt8(ascii: "i") || byte | 0x20 == UInt8(ascii: "n")
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
        let negative = start[index] == UInt8(ascii: "-")
        if negative || start[index] == UInt8(ascii: "+") {
            index += 1
            if index == end { return .notANumber }
        }
        let first = start[index] | 0x20
        if first == UInt8(ascii: "i") || first == UInt8(ascii: "n") {
            return parseSpecial(start + index, count: end - index, negative: negative)
        }
        // Text ("true", "alpha", ...) is told apart here, before the number scanner's setup.
        if (start[index] &- 48) > 9, start[index] != UInt8(ascii: ".") { return .notANumber }
        let (result, stop) = scan(start, from: begin, limit: end)
        return stop == end ? result : .notANumber
    }

    /// `scan`'s short path alone, small enough to be inlined where fields are split: the
    /// value and where it stopped, or nil when the field needs the general path (which
    /// reads it from the start again). Transparent: the splitter's loop is past the size
    /// below which the optimizer honours `@inline(__always)`, and the call cost ~20
    /// instructions a number.
    @_transparent
    static func scanShort(_ start: UnsafePointer<UInt8>, from: Int, limit end: Int) -> (Float, Int)? {
        var index = from
        var negative = false
        if index < end, start[index] == UInt8(ascii: "-") || start[index] == UInt8(ascii: "+") {
            negative = start[index] == UInt8(ascii: "-")
            index += 1
        }
        // Short path, the common shape of a CSV field: at most 7 integer digits, then
        // optionally `.` and at most 7 fraction digits (or 8–15 when 24 bytes follow,
        // at most 18 digits in all), no exponent — two or three word loads
        // (`eightDigits`). Anything else, and the rare value whose rounding the check
        // below cannot decide, takes the general path.
        if index + 16 <= end {
            let (integer, integerDigits) = eightDigits(start + index)
            if integerDigits < 8 {
                let next = start[index + integerDigits]
                if next == UInt8(ascii: ".") {
                    let fractionStart = index + integerDigits + 1
                    var (fraction, fractionDigits) = eightDigits(start + fractionStart)
                    if fractionDigits == 8, index + 24 <= end {
                        let (more, moreDigits) = eightDigits(start + fractionStart + 8)
                        if moreDigits < 8, integerDigits + 8 + moreDigits <= 18 {
                            fraction = fraction &* smallPowersOfTen[moreDigits] &+ more
                            fractionDigits += moreDigits
                        }
                    }
                    let stop = fractionStart + fractionDigits
                    if stop < end, start[stop] &- 48 > 9, integerDigits + fractionDigits > 0, start[stop] | 0x20 != UInt8(ascii: "e") {
                        // m = integer · 10^k + fraction < 10¹⁸ < 2⁶³, exact; x = m · 10^−k.
                        let significand = integer &* smallPowersOfTen[fractionDigits] &+ fraction
                        if let value = roundedToFloat(significand, exponent: -fractionDigits) {
                            return (negative ? -value : value, stop)
                        }
                    }
                } else if integerDigits > 0, next | 0x20 != UInt8(ascii: "e") {
                    let value = Float(integer)   // < 10⁷ < 2²⁴: exact
                    return (negative ? -value : value, index + integerDigits)
                }
            }
        }
        return nil
    }

    /// Reads the longest number (sign, digits, fraction, exponent; no spaces, no
    /// inf/nan) starting at `from`, stopping before `limit` or at the first byte that
    /// cannot continue it. Returns the value and where it stopped; `.notANumber` when
    /// there are no digits or an exponent has none.
    @inline(__always)
    static func scan(_ start: UnsafePointer<UInt8>, from: Int, limit end: Int) -> (ParsedNumber, Int) {
        if let (value, stop) = scanShort(start, from: from, limit: end) { return (.value(value), stop) }
        return scanGeneral(start, from: from, limit: end)
    }

    /// `scan` without its short path, for callers that tried `scanShort` already.
    static func scanGeneral(_ start: UnsafePointer<UInt8>, from: Int, limit end: Int) -> (ParsedNumber, Int) {
        var index = from
        var negative = false
        if index < end, start[index] == UInt8(ascii: "-") || start[index] == UInt8(ascii: "+") {
            negative = start[index] == UInt8(ascii: "-")
            index += 1
        }
        var significand: UInt64 = 0
        var significantDigits = 0
        var exponent = 0
        let digitsStart = index
        // Integer part: leading zeros, then up to 18 significant digits, then dropped digits.
        while index < end, start[index] == UInt8(ascii: "0") { index += 1 }
        if index + 8 <= end {
            let (value, digits) = eightDigits(start + index)
            significand = value
            significantDigits = digits
            index += digits
        }
        while index < end {
            let digit = start[index] &- 48
            if digit > 9 { break }
            if significantDigits < 18 {
                significand = significand &* 10 &+ UInt64(digit)
                significantDigits += 1
            } else {
                exponent &+= 1
            }
            index += 1
        }
        var digitCount = index - digitsStart
        // An integer of at most 7 digits is exactly a `Float` (< 2²⁴): no scaling to round.
        if significantDigits <= 7, exponent == 0, digitCount > 0,
           index == end || (start[index] != UInt8(ascii: ".") && start[index] | 0x20 != UInt8(ascii: "e")) {
            let value = Float(significand)
            return (.value(negative ? -value : value), index)
        }
        // Fraction.
        if index < end, start[index] == UInt8(ascii: ".") {
            index += 1
            let fractionStart = index
            if significand == 0 {
                while index < end, start[index] == UInt8(ascii: "0") { index += 1 }
                exponent -= index - fractionStart
            }
            if index + 8 <= end, significantDigits <= 10 {
                let (value, digits) = eightDigits(start + index)
                if digits > 0 {
                    significand = significand &* smallPowersOfTen[digits] &+ value
                    significantDigits += digits
                    exponent -= digits
                    index += digits
                }
            }
            while index < end {
                let digit = start[index] &- 48
                if digit > 9 { break }
                if significantDigits < 18 {
                    significand = significand &* 10 &+ UInt64(digit)
                    significantDigits += 1
                    exponent &-= 1
                }
                index += 1
            }
            digitCount += index - fractionStart
        }
        if digitCount == 0 { return (.notANumber, index) }
        // Exponent.
        if index < end, start[index] | 0x20 == UInt8(ascii: "e") {
            index += 1
            var exponentNegative = false
            if index < end, start[index] == UInt8(ascii: "-") || start[index] == UInt8(ascii: "+") {
                exponentNegative = start[index] == UInt8(ascii: "-")
                index += 1
            }
            var explicit = 0
            let exponentStart = index
            while index < end {
                let digit = start[index] &- 48
                if digit > 9 { break }
                if explicit < 100_000 { explicit = explicit * 10 + Int(digit) }
                index += 1
            }
            if index == exponentStart { return (.notANumber, index) }
            exponent += exponentNegative ? -explicit : explicit
        }
        if significand == 0 { return (.value(negative ? -0.0 : 0.0), index) }
        if exponent >= -64, exponent <= 64, let rounded = roundedToFloat(significand, exponent: exponent) {
            if rounded.isInfinite { return (.outOfRange, index) }
            return (.value(negative ? -rounded : rounded), index)
        }
        return (slowParse(start + from, count: index - from), index)
    }

    /// 10^k for k in 0...15, exact.
    private static let smallPowersOfTen: [UInt64] = [
        1, 10, 100, 1000, 10_000, 100_000, 1_000_000, 10_000_000, 100_000_000, 1_000_000_000,
        10_000_000_000, 100_000_000_000, 1_000_000_000_000, 10_000_000_000_000, 100_000_000_000_000,
        1_000_000_000_000_000,
    ]

    /// The correctly rounded `Float` of m · 10^q (m < 2⁶³, −64 ≤ q ≤ 64) when the
    /// double d = fl(m · fl(10^q)) decides it (see the type's comment): nil for a float
    /// midpoint within 8 units of d's last place, or a result below the normal range.
    /// Zero gives zero; a result beyond `Float`'s range gives infinity.
    @inline(__always)
    private static func roundedToFloat(_ significand: UInt64, exponent: Int) -> Float? {
        if significand == 0 { return 0 }
        let double = Double(Int64(bitPattern: significand)) * powersOfTen.withUnsafeBufferPointer { $0[exponent + 64] }
        guard double >= Double(Float.leastNormalMagnitude) else { return nil }
        let dropped = Int64(double.bitPattern & 0x1fff_ffff) - 0x1000_0000
        guard dropped > 8 || dropped < -8 else { return nil }
        return Float(double)
    }

    /// The value of the leading run of decimal digits among the 8 bytes at `bytes`
    /// (at most 8 digits), and its length, in a few word operations (SWAR: Lemire,
    /// "Number parsing at a gigabyte per second", 2021).
    @inline(__always)
    static func eightDigits(_ bytes: UnsafePointer<UInt8>) -> (UInt64, Int) {
        let word = UInt64(littleEndian: UnsafeRawPointer(bytes).loadUnaligned(as: UInt64.self))
        let digits = word &- 0x3030_3030_3030_3030
        // High bit set in every byte that is not '0'...'9'.
        let notDigit = (digits | (digits &+ 0x7676_7676_7676_7676)) & 0x8080_8080_8080_8080
        let count = notDigit == 0 ? 8 : notDigit.trailingZeroBitCount / 8
        if count == 0 { return (0, 0) }
        // Keep the first `count` bytes, moved to the high end: the zero bytes shifted in
        // act as leading zeros of an 8-digit number.
        var value = digits << UInt64(64 - 8 * count)
        value = (value &* 10) &+ (value >> 8)
        value = ((value & 0x0000_00ff_0000_00ff) &* 0x000f_4240_0000_0064
            &+ ((value >> 16) & 0x0000_00ff_0000_00ff) &* 0x0000_2710_0000_0001) >> 32
        return (value, count)
    }

    /// Convenience for tests and small inputs.
    public static func parse(_ text: String) -> ParsedNumber {
        var copy = text
        return copy.withUTF8 { buffer in
            guard let base = buffer.baseAddress else { return .notANumber }
            return parse(base, count: buffer.count)
        }
    }

    /// `inf`, `infinity` or `nan` in any case, compared byte by byte (a categorical
    /// level such as "iota" or "no" reaches here on every field of its column).
    private static func parseSpecial(_ start: UnsafePointer<UInt8>, count: Int, negative: Bool) -> ParsedNumber {
        @inline(__always) func matches(_ word: StaticString) -> Bool {
            guard word.utf8CodeUnitCount == count else { return false }
            let letters = word.utf8Start
            for index in 0..<count where start[index] | 0x20 != letters[index] { return false }
            return true
        }
        if matches("inf") || matches("infinity") { return .value(negative ? -.infinity : .infinity) }
        if matches("nan") { return .value(.nan) }
        return .notANumber
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
