/// Count, sum, range and integrality of a column's present (non-NaN) numbers, in one
/// branch-free pass over four interleaved accumulators (values 0, 4, 8, … in the first,
/// 1, 5, 9, … in the second, and so on), so no chain of dependent additions or
/// comparisons waits on the one before; a loop with a branch per NaN test and one
/// chain per statistic cost a third of `inspect`'s summaries.
///
/// `sum` adds in `Double`, the four partial sums combined at the end, so it can differ
/// from a sequential sum in the last bits. A column is integral when every present
/// value is whole: magnitudes ≥ 2²³ always are (infinities too), smaller ones when
/// truncation to `Int32` leaves them unchanged.
struct NumericStatistics: Equatable {
    var present = 0
    var sum = 0.0
    var low = Float.infinity          // +∞ when nothing is present
    var high = -Float.infinity        // −∞ when nothing is present
    var integral = true

    /// One interleaved share of the statistics.
    private struct Accumulator {
        var present = 0
        var sum = 0.0
        var low = Float.infinity
        var high = -Float.infinity
        var fractional = false

        @inline(__always)
        mutating func add(_ value: Float) {
            let isPresent = value == value                 // false for NaN
            present &+= isPresent ? 1 : 0
            sum += isPresent ? Double(value) : 0
            low = Swift.min(low, value)                    // a NaN second argument leaves `low`
            high = Swift.max(high, value)
            let small = Swift.max(value, -value) < 8_388_608   // false for NaN and |value| ≥ 2²³
            let checked = small ? value : 0
            fractional = fractional || Float(Int32(checked)) != checked
        }

        static func + (a: Accumulator, b: Accumulator) -> Accumulator {
            Accumulator(present: a.present + b.present, sum: a.sum + b.sum, low: Swift.min(a.low, b.low),
                        high: Swift.max(a.high, b.high), fractional: a.fractional || b.fractional)
        }
    }

    init(_ values: UnsafeBufferPointer<Float>) {
        var first = Accumulator(), second = Accumulator(), third = Accumulator(), fourth = Accumulator()
        var index = 0
        while index + 4 <= values.count {
            first.add(values[index])
            second.add(values[index + 1])
            third.add(values[index + 2])
            fourth.add(values[index + 3])
            index += 4
        }
        while index < values.count {
            first.add(values[index])
            index += 1
        }
        let all = (first + second) + (third + fourth)
        present = all.present
        sum = all.sum
        low = all.low
        high = all.high
        integral = !all.fractional
    }
}
