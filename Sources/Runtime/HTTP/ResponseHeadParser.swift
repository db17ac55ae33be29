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
    func parse(_ bytes: UnsafeRawBufferPointer, headRequest: Bool, fields: inout [ParsedRequestHead.Field]) -> Result {
        fields.removeAll(keepingCapacity: true)
        guard let end = Self.find(bytes, limit: maxHeadBytes) else { return bytes.count > maxHeadBytes ? .invalid : .incomplete }
        guard end >= 12, Self.startsWith(bytes, "HTTP/1."), bytes[8] == .space else { return .invalid }
        let minor = bytes[7]
        guard minor == UInt8(ascii: "0") || minor == UInt8(ascii: "1"), (9..<12).allSatisfy({ bytes[$0] >= 0x30 && bytes[$0] <= 0x39 }),
              end == 12 || bytes[12] == .space || bytes[12] == .cr else { return .invalid }
        let status = (9..<12).reduce(0) { $0 * 10 + Int(bytes[$1] - 0x30) }
        var contentLength: Int?
        var chunked = false
        var keepAlive = minor == UInt8(ascii: "1")
        guard var lineStart = Self.lineEnd(bytes, from: 0, end: end).map({ $0 + 2 }) else { return .invalid }
        while lineStart < end + 2 {
            guard let lineEnd = Self.lineEnd(bytes, from: lineStart, end: end) else { return .invalid }
            guard let field = Self.field(bytes, lineStart..<lineEnd) else { return .invalid }
            fields.append(field)
            lineStart = lineEnd + 2
            let name = UnsafeRawBufferPointer(rebasing: bytes[field.name]), value = UnsafeRawBufferPointer(rebasing: bytes[field.value])
            if ParsedRequestHead.equalsIgnoringCase(name, "content-length") {
                guard contentLength == nil, let length = Digits.parse(value) else { return .invalid }
                contentLength = length
            } else if ParsedRequestHead.equalsIgnoringCase(name, "transfer-encoding") {
                guard !chunked, ParsedRequestHead.equalsIgnoringCase(value, "chunked") else { return .invalid }
                chunked = true
            } else if ParsedRequestHead.equalsIgnoringCase(name, "connection") {
                let tokens = ConnectionTokens(value)
                if tokens.close { keepAlive = false }
                if tokens.keepAlive && minor == UInt8(ascii: "0") { keepAlive = true }
            }
        }
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

    /// Where the line starting at `start` ends (its CR, or `end` for the last line);
    /// nil when a CR or LF appears on its own.
    private static func lineEnd(_ bytes: UnsafeRawBufferPointer, from start: Int, end: Int) -> Int? {
        var index = start
        while index < end {
            if bytes[index] == .lf { return nil }
            if bytes[index] == .cr { return bytes[index + 1] == .lf ? index : nil }
            index += 1
        }
        return end
    }

    /// `name: value` with a token name and no whitespace before the colon.
    private static func field(_ bytes: UnsafeRawBufferPointer, _ line: Range<Int>) -> ParsedRequestHead.Field? {
        var colon = line.lowerBound
        while colon < line.upperBound, bytes[colon] != .colon {
            guard bytes[colon].isTokenCharacter else { return nil }
            colon += 1
        }
        guard colon < line.upperBound, colon > line.lowerBound else { return nil }
        var valueStart = colon + 1, valueEnd = line.upperBound
        while valueStart < valueEnd, bytes[valueStart] == .space || bytes[valueStart] == .tab { valueStart += 1 }
        while valueEnd > valueStart, bytes[valueEnd - 1] == .space || bytes[valueEnd - 1] == .tab { valueEnd -= 1 }
        return ParsedRequestHead.Field(name: line.lowerBound..<colon, value: valueStart..<valueEnd, line: line.lowerBound..<(line.upperBound + 2))
    }

    private static func startsWith(_ bytes: UnsafeRawBufferPointer, _ prefix: StaticString) -> Bool {
        prefix.withUTF8Buffer { expected in bytes.count >= expected.count && zip(bytes, expected).allSatisfy { $0 == $1 } }
    }

    /// The offset of the CRLFCRLF that ends the head.
    private static func find(_ bytes: UnsafeRawBufferPointer, limit: Int) -> Int? {
        guard bytes.count >= 4 else { return nil }
        var index = 0
        let stop = min(bytes.count - 3, limit)
        while index < stop {
            if bytes[index] == .cr, bytes[index + 1] == .lf, bytes[index + 2] == .cr, bytes[index + 3] == .lf { return index }
            index += 1
        }
        return nil
    }
}
