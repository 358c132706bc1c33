/// ISO 8601 calendar dates and timestamps ↔ seconds since 1970-01-01T00:00:00Z.
///
/// Accepted: `YYYY-MM`, `YYYY-MM-DD`, and `YYYY-MM-DD` followed by `T` or a space,
/// `HH:MM`, optional `:SS` with optional fraction, optional `Z` or `±HH[:MM]` offset
/// (times without an offset are taken as UTC). Days are counted with Howard Hinnant's
/// `days_from_civil` (proleptic Gregorian calendar).
public enum ISODate {
    public static func parse(_ text: String) -> Double? {
        let bytes = Array(text.utf8)
        var index = 0
        func number(_ digits: Int) -> Int? {
            guard index + digits <= bytes.count else { return nil }
            var value = 0
            for offset in 0..<digits {
                let digit = Int(bytes[index + offset]) - 48
                guard (0...9).contains(digit) else { return nil }
                value = value * 10 + digit
            }
            index += digits
            return value
        }
        func expect(_ character: UInt8) -> Bool {
            guard index < bytes.count, bytes[index] == character else { return false }
            index += 1
            return true
        }
        guard let year = number(4), expect(0x2d), let month = number(2), (1...12).contains(month) else { return nil }
        var day = 1
        if index == bytes.count { return seconds(year, month, day) }
        guard expect(0x2d), let parsedDay = number(2), (1...daysIn(month: month, year: year)).contains(parsedDay) else { return nil }
        day = parsedDay
        if index == bytes.count { return seconds(year, month, day) }
        guard index < bytes.count, bytes[index] == 0x54 || bytes[index] == 0x20 else { return nil }
        index += 1
        guard let hour = number(2), hour < 24, expect(0x3a), let minute = number(2), minute < 60 else { return nil }
        var second = 0.0
        if expect(0x3a) {
            guard let whole = number(2), whole < 61 else { return nil }
            second = Double(whole)
            if expect(0x2e) || expect(0x2c) {
                var scale = 0.1
                var digits = 0
                while index < bytes.count, (0x30...0x39).contains(bytes[index]) {
                    second += Double(bytes[index] - 0x30) * scale
                    scale /= 10
                    index += 1
                    digits += 1
                }
                guard digits > 0 else { return nil }
            }
        }
        var offsetSeconds = 0
        if index < bytes.count {
            if expect(0x5a) {
                // Z: UTC
            } else if bytes[index] == 0x2b || bytes[index] == 0x2d {
                let sign = bytes[index] == 0x2d ? -1 : 1
                index += 1
                guard let offsetHours = number(2) else { return nil }
                _ = expect(0x3a)
                let offsetMinutes = index < bytes.count ? (number(2) ?? -1) : 0
                guard offsetMinutes >= 0, offsetMinutes < 60 else { return nil }
                offsetSeconds = sign * (offsetHours * 3600 + offsetMinutes * 60)
            } else {
                return nil
            }
        }
        guard index == bytes.count else { return nil }
        return seconds(year, month, day) + Double(hour * 3600 + minute * 60) + second - Double(offsetSeconds)
    }

    /// Formats seconds since the epoch as `YYYY-MM-DD` when it is midnight UTC,
    /// otherwise as `YYYY-MM-DDTHH:MM:SSZ`.
    public static func format(_ seconds: Double) -> String {
        let days = Int((seconds / 86_400).rounded(.down))
        let (year, month, day) = civil(fromDays: days)
        let remainder = Int((seconds - Double(days) * 86_400).rounded())
        func pad(_ value: Int, _ width: Int) -> String {
            let text = String(value)
            return String(repeating: "0", count: max(0, width - text.count)) + text
        }
        let date = "\(pad(year, 4))-\(pad(month, 2))-\(pad(day, 2))"
        if remainder == 0 { return date }
        return "\(date)T\(pad(remainder / 3600, 2)):\(pad(remainder / 60 % 60, 2)):\(pad(remainder % 60, 2))Z"
    }

    static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    static func seconds(_ year: Int, _ month: Int, _ day: Int) -> Double {
        Double(daysFromCivil(year, month, day)) * 86_400
    }

    static func daysFromCivil(_ year: Int, _ month: Int, _ day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    static func civil(fromDays days: Int) -> (Int, Int, Int) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let mp = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }
}
