// libFuzzer entry point for the model-file reader: SafeTensors.parse on arbitrary bytes
// must return a tensor set or throw ModelFileError, never crash.
// Built by fuzz/run.sh together with PretextData's sources and the safetensors files.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzModelFile(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    _ = try? SafeTensors.parse(bytes, path: "fuzz")
    return 0
}
