/// Parses an HTTP/1.1 request head in place (RFC 9112), for a server that keeps the
/// client's bytes and forwards them with only the lines a decision changes. It
/// returns offsets, never copies, and refuses every shape that lets two parsers
/// disagree about where a request ends (request smuggling): Content-Length with
/// Transfer-Encoding, duplicate or malformed Content-Length, obs-fold, bare CR or
/// LF, whitespace before a colon, control characters, a missing or repeated Host.
public struct RequestHeadParser: Sendable {
    /// Bytes allowed for the whole head, request line included (431 beyond).
    public var maxHeadBytes: Int
    /// Bytes allowed for the request line (414 beyond).
    public var maxRequestLineBytes: Int
    /// Header lines allowed (431 beyond).
    public var maxHeaderCount: Int

    public init(maxHeadBytes: Int = 16 << 10, maxRequestLineBytes: Int = 8 << 10, maxHeaderCount: Int = 100) {
        self.maxHeadBytes = maxHeadBytes
        self.maxRequestLineBytes = maxRequestLineBytes
        self.maxHeaderCount = maxHeaderCount
    }

    public enum Result: Sendable, Equatable {
        /// No complete head yet: read more (the limits are already checked for what is there).
        case incomplete
        case complete(ParsedRequestHead)
        case invalid(RequestHeadError)
    }

    /// Parses the head at the start of `bytes` (which may hold more: the body, or a
    /// pipelined request).
    public func parse(_ bytes: UnsafeRawBufferPointer) -> Result {
        var head = ParsedRequestHead()
        switch parse(bytes, into: &head) {
        case .incomplete: return .incomplete
        case .complete: return .complete(head)
        case .invalid(let error): return .invalid(error)
        }
    }

    /// What `parse(_:into:)` found; the head itself is in the caller's value.
    public enum Status: Sendable, Equatable {
        case incomplete, complete
        case invalid(RequestHeadError)
    }

    /// Parses into `head`, which a connection keeps from one request to the next: its
    /// field list keeps its storage (no allocation per request), and nothing but the
    /// status is returned (an enum carrying the head cost copies and a teardown).
    /// `head` is complete only when the status is; otherwise its contents are unspecified.
    public func parse(_ bytes: UnsafeRawBufferPointer, into head: inout ParsedRequestHead) -> Status {
        var cursor = 0
        // RFC 9112 2.2: a server SHOULD ignore at least one empty line before the request line.
        if bytes.count >= 2, bytes[0] == .cr, bytes[1] == .lf { cursor = 2 }
        guard let firstLine = lineEnd(bytes, from: cursor, limit: maxRequestLineBytes) else {
            return bytes.count - cursor > maxRequestLineBytes ? .invalid(.requestLineTooLong) : .incomplete
        }
        let end: Int
        switch firstLine {
        case .success(let value): end = value
        case .failure(let error): return .invalid(error)
        }
        if let error = requestLine(bytes, cursor..<end, into: &head) { return .invalid(error) }
        cursor = end + 2
        while true {
            guard cursor <= maxHeadBytes else { return .invalid(.headTooLarge) }
            guard let next = lineEnd(bytes, from: cursor, limit: maxHeadBytes - cursor) else {
                return bytes.count > maxHeadBytes ? .invalid(.headTooLarge) : .incomplete
            }
            let end: Int
            switch next {
            case .success(let value): end = value
            case .failure(let error): return .invalid(error)
            }
            if end == cursor {
                head.length = end + 2
                guard head.length <= maxHeadBytes else { return .invalid(.headTooLarge) }
                if let error = head.checkFraming() { return .invalid(error) }
                return .complete
            }
            guard head.fields.count < maxHeaderCount else { return .invalid(.headTooLarge) }
            switch field(bytes, cursor..<end) {
            case .success(let field): head.add(field, bytes)
            case .failure(let error): return .invalid(error)
            }
            if let error = head.error { return .invalid(error) }
            cursor = end + 2
        }
    }

    /// The index of the CR of the next CRLF, nil when none has arrived yet, or an error for a bare CR or LF.
    private func lineEnd(_ bytes: UnsafeRawBufferPointer, from start: Int, limit: Int) -> Swift.Result<Int, RequestHeadError>? {
        let stop = min(bytes.count, start + limit + 2)
        guard let index = HeadScan.first(in: bytes, from: start, to: stop) else { return nil }
        guard bytes[index] == .cr else { return .failure(.bareLineBreak) }
        guard index + 1 < bytes.count else { return nil }
        return bytes[index + 1] == .lf ? .success(index) : .failure(.bareLineBreak)
    }

    private static let versionPrefix: [UInt8] = Array("HTTP/1.".utf8)

    /// Reads the request line and starts `head` afresh from it; nil when it is well formed.
    private func requestLine(_ bytes: UnsafeRawBufferPointer, _ line: Range<Int>, into head: inout ParsedRequestHead) -> RequestHeadError? {
        guard let firstSpace = line.first(where: { bytes[$0] == .space }), firstSpace > line.lowerBound,
              (line.lowerBound..<firstSpace).allSatisfy({ bytes[$0].isTokenCharacter }) else { return .malformedRequestLine }
        let targetStart = firstSpace + 1
        guard let secondSpace = (targetStart..<line.upperBound).first(where: { bytes[$0] == .space }), secondSpace > targetStart,
              (targetStart..<secondSpace).allSatisfy({ bytes[$0] > 0x20 && bytes[$0] < 0x7F }) else { return .malformedRequestLine }
        let version = (secondSpace + 1)..<line.upperBound
        // Compared as bytes: `elementsEqual` against a String's UTF-8 view went through
        // the generic path, over four hundred instructions per request.
        guard version.count == 8, Self.versionPrefix.indices.allSatisfy({ bytes[version.lowerBound + $0] == Self.versionPrefix[$0] }) else {
            return .malformedRequestLine
        }
        let minor = bytes[version.upperBound - 1]
        guard minor == UInt8(ascii: "1") || minor == UInt8(ascii: "0") else { return .unsupportedVersion }
        head.reset(method: line.lowerBound..<firstSpace, target: targetStart..<secondSpace, minorVersion: minor == UInt8(ascii: "1") ? 1 : 0)
        return nil
    }

    private func field(_ bytes: UnsafeRawBufferPointer, _ line: Range<Int>) -> Swift.Result<ParsedRequestHead.Field, RequestHeadError> {
        // A line that starts with whitespace continues the previous one (obs-fold): refused, RFC 9112 5.2.
        guard bytes[line.lowerBound] != .space, bytes[line.lowerBound] != .tab else { return .failure(.obsoleteLineFolding) }
        guard let colon = line.first(where: { bytes[$0] == .colon }), colon > line.lowerBound else { return .failure(.malformedHeader) }
        // No whitespace between name and colon (RFC 9112 5.1), only token characters in the name.
        guard (line.lowerBound..<colon).allSatisfy({ bytes[$0].isTokenCharacter }) else { return .failure(.malformedHeader) }
        var start = colon + 1
        var end = line.upperBound
        while start < end, bytes[start] == .space || bytes[start] == .tab { start += 1 }
        while end > start, bytes[end - 1] == .space || bytes[end - 1] == .tab { end -= 1 }
        if HeadScan.containsControl(in: bytes, from: start, to: end) { return .failure(.malformedHeader) }
        return .success(ParsedRequestHead.Field(name: line.lowerBound..<colon, value: start..<end, line: line.lowerBound..<(line.upperBound + 2)))
    }
}

/// Why a request head is refused, and the status the client gets.
public enum RequestHeadError: Error, Sendable, Equatable {
    case malformedRequestLine, unsupportedVersion, requestLineTooLong, headTooLarge
    case bareLineBreak, obsoleteLineFolding, malformedHeader
    case invalidContentLength, conflictingFraming, unsupportedTransferEncoding
    case missingHost, multipleHosts

    public var status: Int {
        switch self {
        case .unsupportedVersion: 505
        case .requestLineTooLong: 414
        case .headTooLarge: 431
        case .unsupportedTransferEncoding: 501
        default: 400
        }
    }

    public var detail: String {
        switch self {
        case .malformedRequestLine: "the request line is not `METHOD target HTTP/1.1`"
        case .unsupportedVersion: "only HTTP/1.1 and HTTP/1.0 are served"
        case .requestLineTooLong: "the request line is too long"
        case .headTooLarge: "the request headers are too large"
        case .bareLineBreak: "lines must end with CRLF"
        case .obsoleteLineFolding: "folded header lines are not accepted"
        case .malformedHeader: "a header line is malformed"
        case .invalidContentLength: "Content-Length must be one decimal number"
        case .conflictingFraming: "a request may not carry both Content-Length and Transfer-Encoding"
        case .unsupportedTransferEncoding: "only the chunked transfer coding is supported"
        case .missingHost: "HTTP/1.1 requests need a Host header"
        case .multipleHosts: "a request may carry one Host header"
        }
    }
}

extension UInt8 {
    static let cr = UInt8(ascii: "\r"), lf = UInt8(ascii: "\n"), space = UInt8(ascii: " "), tab = UInt8(ascii: "\t"), colon = UInt8(ascii: ":")

    /// RFC 9110 5.6.2 tchar.
    /// RFC 9110 5.6.2 tchar: ALPHA, DIGIT and ``!#$%&'*+-.^_`|~``, looked up in a
    /// 128-bit map (bit n set for byte n; nothing above 127 is a token character).
    var isTokenCharacter: Bool {
        let word: UInt64 = self < 64 ? 0x03FF_6CFA_0000_0000 : self < 128 ? 0x57FF_FFFF_C7FF_FFFE : 0
        return (word >> UInt64(self & 63)) & 1 == 1
    }
}
