/// What a Connection header's comma-separated options say about persistence
/// (RFC 9112 9.3), read from its bytes: `close`, and HTTP/1.0's `keep-alive`.
struct ConnectionTokens {
    var close = false
    var keepAlive = false

    init(_ value: UnsafeRawBufferPointer) {
        Self.forEach(in: value) { token in
            if ParsedRequestHead.equalsIgnoringCase(token, "close") { close = true }
            if ParsedRequestHead.equalsIgnoringCase(token, "keep-alive") { keepAlive = true }
        }
    }

    /// Each comma-separated option, without surrounding whitespace; empty ones skipped.
    static func forEach(in value: UnsafeRawBufferPointer, _ body: (UnsafeRawBufferPointer) -> Void) {
        var start = 0
        while start <= value.count {
            var end = start
            while end < value.count, value[end] != UInt8(ascii: ",") { end += 1 }
            var first = start, last = end
            while first < last, value[first] == .space || value[first] == .tab { first += 1 }
            while last > first, value[last - 1] == .space || value[last - 1] == .tab { last -= 1 }
            if first < last { body(UnsafeRawBufferPointer(rebasing: value[first..<last])) }
            start = end + 1
        }
    }
}
