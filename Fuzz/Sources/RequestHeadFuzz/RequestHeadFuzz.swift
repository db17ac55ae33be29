import Runtime

/// libFuzzer entry point for the request-head parser: any bytes parse, wait for
/// more, or are refused; an accepted head never claims more bytes than it was given
/// and never has two framings; and the engine's packed head (names lower-cased and
/// values copied into one array beside their line table) gives back every line as
/// the parser found it.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    let bytes = UnsafeRawBufferPointer(start: data, count: size)
    if case .complete(let head) = RequestHeadParser(maxHeadBytes: 4_096, maxRequestLineBytes: 1_024).parse(bytes) {
        precondition(head.length <= size && !(head.chunked && head.contentLength != nil))
        let request = head.requestHead(bytes, clientAddress: "127.0.0.1")
        let lines = request.headers
        precondition(lines.count == head.fields.count)
        for (line, field) in zip(lines, head.fields) {
            let name = String(decoding: bytes[field.name].map { $0 >= 0x41 && $0 <= 0x5A ? $0 + 32 : $0 }, as: UTF8.self)
            precondition(line.name == name && line.value == String(decoding: bytes[field.value], as: UTF8.self))
            precondition(request.header(name) != nil)
        }
        precondition(request.contentLength == head.contentLength)
    }
    return 0
}
