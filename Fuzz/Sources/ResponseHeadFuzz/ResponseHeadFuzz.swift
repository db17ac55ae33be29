@testable import Runtime

/// libFuzzer entry point for the upstream reply-head parser (internal, so imported
/// @testable; fuzz builds are debug builds, which SwiftPM compiles testable): any
/// bytes parse, wait for more, or are refused; an accepted head's fields lie inside
/// it, and reading them as the relay does stays in bounds.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    let bytes = UnsafeRawBufferPointer(start: data, count: size)
    var fields: [ParsedRequestHead.Field] = []
    for headRequest in [false, true] {
        guard case .complete(let head) = ResponseHeadParser(maxHeadBytes: 4_096).parse(bytes, headRequest: headRequest, fields: &fields) else { continue }
        precondition(head.length <= size && fields.allSatisfy { $0.line.upperBound <= head.length })
        let parsed = ParsedHeaderFields(bytes: bytes, fields: fields)
        _ = parsed.headers
        _ = parsed.namedByConnection()
    }
    return 0
}
