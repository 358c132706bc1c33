import Foundation
import PretextData

/// The safetensors file format (Hugging Face): an 8-byte little-endian header length
/// N, N bytes of JSON header, then the raw tensor data.
///
/// The header maps each tensor name to `{"dtype", "shape", "data_offsets": [begin,
/// end]}` (offsets into the data section) and may hold `"__metadata__"`, a map of
/// strings. Pretext writes and reads little-endian `F32` tensors; the header is padded
/// with spaces to a multiple of 8 bytes, as the reference implementation does.
/// Python: `safetensors.numpy.load_file(path)`, `safe_open(path, "np").metadata()`.
public struct SafeTensors: Sendable, Equatable {
    public struct Tensor: Sendable, Equatable {
        public var name: String
        public var shape: [Int]
        public var values: [Float]

        public init(name: String, shape: [Int], values: [Float]) {
            precondition(shape.reduce(1, *) == values.count, "tensor \(name): shape \(shape) for \(values.count) values")
            self.name = name
            self.shape = shape
            self.values = values
        }
    }

    public var tensors: [Tensor]
    public var metadata: [String: String]

    public init(tensors: [Tensor], metadata: [String: String]) {
        self.tensors = tensors
        self.metadata = metadata
    }

    public subscript(name: String) -> Tensor? { tensors.first { $0.name == name } }

    // MARK: - Writing

    /// The file's bytes. Tensors are laid out in the given order.
    public func serialized() throws -> [UInt8] {
        var header: [String: Any] = [:]
        var offset = 0
        for tensor in tensors {
            let size = tensor.values.count * 4
            header[tensor.name] = ["dtype": "F32", "shape": tensor.shape, "data_offsets": [offset, offset + size]] as [String: Any]
            offset += size
        }
        if !metadata.isEmpty { header["__metadata__"] = metadata }
        var json = Array(try JSONSerialization.data(withJSONObject: header, options: [.sortedKeys]))
        while json.count % 8 != 0 { json.append(0x20) }
        var bytes = [UInt8]()
        bytes.reserveCapacity(8 + json.count + offset)
        withUnsafeBytes(of: UInt64(json.count).littleEndian) { bytes.append(contentsOf: $0) }
        bytes.append(contentsOf: json)
        for tensor in tensors {
            for value in tensor.values { withUnsafeBytes(of: value.bitPattern.littleEndian) { bytes.append(contentsOf: $0) } }
        }
        return bytes
    }

    /// Writes atomically: a temporary file in the same folder, flushed, then renamed, so
    /// `path` holds either the previous content or the complete new file.
    public func write(to path: String) throws {
        do {
            try AtomicFile.write(try serialized(), to: path)
        } catch DataError.unwritable(let path, let reason) {
            throw ModelFileError.unwritable(path: path, reason: reason)
        }
    }

    // MARK: - Reading

    public static func read(from path: String) throws -> SafeTensors {
        guard FileManager.default.fileExists(atPath: path) else { throw ModelFileError.notFound(path: path) }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ModelFileError.corrupt(path: path, reason: "it cannot be read (a directory, or no permission)")
        }
        return try parse(Array(data), path: path)
    }

    /// Parses and validates every length, offset and shape before touching data.
    public static func parse(_ bytes: [UInt8], path: String) throws -> SafeTensors {
        guard bytes.count >= 8 else { throw ModelFileError.truncated(path: path, reason: "\(bytes.count) bytes, shorter than the 8-byte header length") }
        let headerLength = bytes.withUnsafeBytes { UInt64(littleEndian: $0.loadUnaligned(as: UInt64.self)) }
        guard headerLength <= UInt64(bytes.count - 8) else {
            throw ModelFileError.truncated(path: path, reason: "the header claims \(headerLength) bytes but the file has \(bytes.count - 8) after the length")
        }
        let headerEnd = 8 + Int(headerLength)
        guard let object = try? JSONSerialization.jsonObject(with: Data(bytes[8..<headerEnd])), let header = object as? [String: Any] else {
            throw ModelFileError.corrupt(path: path, reason: "the header is not a JSON object")
        }
        var metadata: [String: String] = [:]
        if let raw = header["__metadata__"] {
            guard let map = raw as? [String: String] else { throw ModelFileError.corrupt(path: path, reason: "__metadata__ must map strings to strings") }
            metadata = map
        }
        let dataCount = bytes.count - headerEnd
        var entries: [(name: String, shape: [Int], begin: Int, end: Int)] = []
        for (name, raw) in header where name != "__metadata__" {
            guard let entry = raw as? [String: Any], let dtype = entry["dtype"] as? String,
                  let shape = entry["shape"] as? [Int], let offsets = entry["data_offsets"] as? [Int], offsets.count == 2 else {
                throw ModelFileError.corrupt(path: path, reason: "tensor \"\(name)\" lacks dtype, shape or data_offsets")
            }
            guard dtype == "F32" else {
                throw ModelFileError.corrupt(path: path, reason: "tensor \"\(name)\" has dtype \(dtype); Pretext reads F32 tensors")
            }
            guard shape.allSatisfy({ $0 >= 0 }), offsets[0] >= 0, offsets[0] <= offsets[1], offsets[1] <= dataCount else {
                throw ModelFileError.truncated(path: path, reason: "tensor \"\(name)\" spans bytes \(offsets) of a \(dataCount)-byte data section")
            }
            let elements = shape.reduce(1) { $0.multipliedReportingOverflow(by: $1).overflow ? Int.max : $0 * $1 }
            guard elements < Int.max / 4, elements * 4 == offsets[1] - offsets[0] else {
                throw ModelFileError.corrupt(path: path, reason: "tensor \"\(name)\" has shape \(shape) but \(offsets[1] - offsets[0]) bytes")
            }
            entries.append((name, shape, offsets[0], offsets[1]))
        }
        entries.sort { $0.begin < $1.begin }
        var expected = 0
        for entry in entries {
            guard entry.begin == expected else { throw ModelFileError.corrupt(path: path, reason: "tensor data overlaps or leaves a gap at byte \(expected)") }
            expected = entry.end
        }
        guard expected == dataCount else {
            throw ModelFileError.corrupt(path: path, reason: "\(dataCount - expected) bytes after the last tensor")
        }
        let tensors = bytes.withUnsafeBytes { raw in
            entries.map { entry -> Tensor in
                let values = (0..<((entry.end - entry.begin) / 4)).map { index in
                    Float(bitPattern: UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: headerEnd + entry.begin + 4 * index, as: UInt32.self)))
                }
                return Tensor(name: entry.name, shape: entry.shape, values: values)
            }
        }
        return SafeTensors(tensors: tensors, metadata: metadata)
    }
}
