/// Parses an upstream's response head (RFC 9112 4, 6.3) from the bytes received, for
/// the relay: the status, the headers as the engine reads them, how the body is
/// framed, and whether the connection can be reused. Ambiguous framing is an error
/// (the reply is answered with 502), never a guess.
struct ResponseHeadParser: Sendable {
    var maxHeadBytes = 64 << 10

    enum Framing: Sendable, Equatable {
        case none
        case length(Int)
        case chunked
        /// HTTP/1.0 style: the body ends when the upstream closes.
        case untilClose
    }

    struct Head: Sendable, Equatable {
        var status: Int
        var framing: Framing
        var keepAlive: Bool
        /// Bytes of the head, through the empty line.
        var length: Int
    }

    enum Result: Sendable, Equatable {
        case incomplete
        case complete(Head)
        case invalid
    }

    /// `headRequest`: the reply to HEAD has no body whatever it declares. The header
    /// fields are left in `fields` as offsets into `bytes` (emptied first, so the
    /// caller's array keeps its capacity from one reply to the next).
    ///
    /// One pass: each line is read once, up to its CR, by `line(_:from:)`; the head is
    /// complete at its empty line, and incomplete when the bytes end first.
    func parse(_ bytes: UnsafeRawBufferPointer, headRequest: Bool, fields: inout [ParsedRequestHead.Field]) -> Result {
        fields.removeAll(keepingCapacity: true)
        let incomplete: Result = bytes.count > maxHeadBytes ? .invalid : .incomplete
        guard bytes.count >= 13 else { return incomplete }
        guard Self.startsWith(bytes, "HTTP/1."), bytes[8] == .space else { return .invalid }
        let minor = bytes[7]
        guard minor == UInt8(ascii: "0") || minor == UInt8(ascii: "1"), (9..<12).allSatisfy({ bytes[$0] >= 0x30 && bytes[$0] <= 0x39 }) else { return .invalid }
        let status = (9..<12).reduce(0) { $0 * 10 + Int(bytes[$1] - 0x30) }
        var contentLength: Int?
        var chunked = false
        var keepAlive = minor == UInt8(ascii: "1")
        // The status line: a space or its end after the code, then anything printable.
        guard bytes[12] == .space || bytes[12] == .cr else { return .invalid }
        guard var cursor = HeadScan.first(in: bytes, from: 12, to: bytes.count) else { return incomplete }
        guard bytes[cursor] == .cr else { return .invalid }
        var end: Int
        while true {
            guard cursor + 1 < bytes.count else { return incomplete }
            guard bytes[cursor + 1] == .lf else { return .invalid }
            let start = cursor + 2
            guard start <= maxHeadBytes else { return .invalid }
            guard start + 1 < bytes.count else { return incomplete }
            if bytes[start] == .cr {
                guard bytes[start + 1] == .lf else { return .invalid }
                end = start - 2
                break
            }
            let field: ParsedRequestHead.Field
            switch Self.line(bytes, from: start) {
            case .line(let found, let lineEnd):
                field = found
                cursor = lineEnd
            case .incomplete:
                return incomplete
            case .invalid:
                return .invalid
            }
            fields.append(field)
            let name = UnsafeRawBufferPointer(rebasing: bytes[field.name]), value = UnsafeRawBufferPointer(rebasing: bytes[field.value])
            // By length first: most lines are none of the three.
            switch name.count {
            case 14 where ParsedRequestHead.equalsIgnoringCase(name, "content-length"):
                guard contentLength == nil, let length = Digits.parse(value) else { return .invalid }
                contentLength = length
            case 17 where ParsedRequestHead.equalsIgnoringCase(name, "transfer-encoding"):
                guard !chunked, ParsedRequestHead.equalsIgnoringCase(value, "chunked") else { return .invalid }
                chunked = true
            case 10 where ParsedRequestHead.equalsIgnoringCase(name, "connection"):
                let tokens = ConnectionTokens(value)
                if tokens.close { keepAlive = false }
                if tokens.keepAlive && minor == UInt8(ascii: "0") { keepAlive = true }
            default:
                break
            }
        }
        guard end < maxHeadBytes else { return .invalid }
        if chunked && contentLength != nil { return .invalid }
        let framing: Framing
        if headRequest || status < 200 || status == 204 || status == 304 {
            framing = .none
        } else if chunked {
            framing = .chunked
        } else if let contentLength {
            framing = .length(contentLength)
        } else {
            framing = .untilClose
            keepAlive = false
        }
        return .complete(Head(status: status, framing: framing, keepAlive: keepAlive, length: end + 4))
    }

    enum Line {
        /// A field, and the offset of the CR that ends its line.
        case line(ParsedRequestHead.Field, end: Int)
        case incomplete
        case invalid
    }

    /// The header line starting at `start`, read once: a token name, the colon (no
    /// whitespace before it), then the value up to the CR; a bare LF is invalid.
    static func line(_ bytes: UnsafeRawBufferPointer, from start: Int) -> Line {
        var colon = start
        while colon < bytes.count, bytes[colon] != .colon {
            guard bytes[colon].isTokenCharacter else { return .invalid }
            colon += 1
        }
        guard colon < bytes.count else { return .incomplete }
        guard colon > start else { return .invalid }
        guard let cr = HeadScan.first(in: bytes, from: colon + 1, to: bytes.count) else { return .incomplete }
        guard bytes[cr] == .cr else { return .invalid }
        var valueStart = colon + 1, valueEnd = cr
        while valueStart < valueEnd, bytes[valueStart] == .space || bytes[valueStart] == .tab { valueStart += 1 }
        while valueEnd > valueStart, bytes[valueEnd - 1] == .space || bytes[valueEnd - 1] == .tab { valueEnd -= 1 }
        return .line(ParsedRequestHead.Field(name: start..<colon, value: valueStart..<valueEnd, line: start..<(cr + 2)), end: cr)
    }

    private static func startsWith(_ bytes: UnsafeRawBufferPointer, _ prefix: StaticString) -> Bool {
        prefix.withUTF8Buffer { expected in bytes.count >= expected.count && zip(bytes, expected).allSatisfy { $0 == $1 } }
    }
}
