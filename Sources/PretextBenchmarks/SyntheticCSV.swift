#if canImport(Glibc)
import Glibc
#endif
import PretextData

/// Seeded synthetic CSV files for the ingestion benchmark, written in a streaming way
/// (a few MB at a time), atomically (temporary name, then rename).
public enum SyntheticCSV {
    /// `rows` × `columns` decimal numbers N(0, 10²) with 5 decimals, e.g. `-12.34567`.
    public static func writeNumeric(to path: String, rows: Int, columns: Int, seed: UInt64) throws {
        var generator = SeededGenerator(seed: seed, stream: "bench.numeric")
        try write(to: path, rows: rows) { out in
            out.append(contentsOf: (1...columns).map { "f\($0)" }.joined(separator: ",").utf8)
            out.append(0x0a)
            return { out in
                for column in 0..<columns {
                    if column > 0 { out.append(0x2c) }
                    appendFixed(&out, generator.nextNormal() * 10, decimals: 5)
                }
                out.append(0x0a)
            }
        }
    }

    /// A mixed file: an integer id, two decimals (one 5% missing), a quoted text with
    /// an embedded comma, a boolean, a 12-level categorical and a small integer.
    public static func writeMixed(to path: String, rows: Int, seed: UInt64) throws {
        var generator = SeededGenerator(seed: seed, stream: "bench.mixed")
        let cities = ["Springfield, IL", "Portland, OR", "Austin, TX", "Madison, WI", "Boulder, CO", "Salem, MA",
                      "Dayton, OH", "Reno, NV", "Tulsa, OK", "Provo, UT", "Fargo, ND", "Bend, OR"].map { Array("\"\($0)\"".utf8) }
        let levels = ["alpha", "beta", "gamma", "delta", "epsilon", "zeta", "eta", "theta", "iota", "kappa", "lambda", "mu"].map { Array($0.utf8) }
        try write(to: path, rows: rows) { out in
            out.append(contentsOf: "id,amount,score,city,active,grade,count\n".utf8)
            var id = 0
            return { out in
                id += 1
                out.append(contentsOf: String(id).utf8)
                out.append(0x2c)
                appendFixed(&out, generator.nextNormal() * 1000 + 5000, decimals: 2)
                out.append(0x2c)
                if generator.nextUniform() >= 0.05 { appendFixed(&out, generator.nextUniform(), decimals: 4) }
                out.append(0x2c)
                out.append(contentsOf: cities[generator.nextInt(below: cities.count)])
                out.append(0x2c)
                out.append(contentsOf: (generator.nextUniform() < 0.5 ? "true" : "false").utf8)
                out.append(0x2c)
                out.append(contentsOf: levels[generator.nextInt(below: levels.count)])
                out.append(0x2c)
                out.append(contentsOf: String(generator.nextInt(below: 100)).utf8)
                out.append(0x0a)
            }
        }
    }

    /// Appends `value` with a fixed number of decimals (no exponent).
    static func appendFixed(_ out: inout [UInt8], _ value: Double, decimals: Int) {
        var scale = 1.0
        for _ in 0..<decimals { scale *= 10 }
        var scaled = Int64((abs(value) * scale).rounded())
        if value < 0 && scaled != 0 { out.append(0x2d) }
        var digits = [UInt8]()
        for _ in 0..<decimals { digits.append(UInt8(48 + scaled % 10)); scaled /= 10 }
        digits.append(0x2e)
        repeat { digits.append(UInt8(48 + scaled % 10)); scaled /= 10 } while scaled > 0
        out.append(contentsOf: digits.reversed())
    }

    private static func write(to path: String, rows: Int, header: (inout [UInt8]) -> ((inout [UInt8]) -> Void)) throws {
        let temporary = path + ".partial"
        guard let file = fopen(temporary, "wb") else {
            throw DataError.unreadable(path: temporary, reason: "cannot create: \(String(cString: strerror(errno)))")
        }
        var out = [UInt8]()
        out.reserveCapacity(1 << 22)
        let row = header(&out)
        func flush() throws {
            if fwrite(out, 1, out.count, file) != out.count {
                fclose(file)
                unlink(temporary)
                throw DataError.unreadable(path: temporary, reason: "write failed: \(String(cString: strerror(errno)))")
            }
            out.removeAll(keepingCapacity: true)
        }
        for _ in 0..<rows {
            row(&out)
            if out.count >= 1 << 22 { try flush() }
        }
        try flush()
        fclose(file)
        guard rename(temporary, path) == 0 else {
            throw DataError.unreadable(path: path, reason: "rename failed: \(String(cString: strerror(errno)))")
        }
    }
}
