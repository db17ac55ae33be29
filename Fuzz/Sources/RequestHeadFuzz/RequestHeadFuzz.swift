import Runtime

/// libFuzzer entry point for the request-head parser: any bytes parse, wait for
/// more, or are refused; an accepted head never claims more bytes than it was given
/// and never has two framings.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    let bytes = UnsafeRawBufferPointer(start: data, count: size)
    if case .complete(let head) = RequestHeadParser(maxHeadBytes: 4_096, maxRequestLineBytes: 1_024).parse(bytes) {
        precondition(head.length <= size && !(head.chunked && head.contentLength != nil))
        _ = head.requestHead(bytes, clientAddress: "127.0.0.1")
    }
    return 0
}
