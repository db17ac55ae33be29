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
        var headers: [Header]
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

    /// `headRequest`: the reply to HEAD has no body whatever it declares.
    func parse(_ bytes: UnsafeRawBufferPointer, headRequest: Bool) -> Result {
        guard let end = Self.find(bytes, limit: maxHeadBytes) else { return bytes.count > maxHeadBytes ? .invalid : .incomplete }
        guard end > 0 else { return .invalid }
        var lines: [Range<Int>] = []
        var start = 0
        var index = 0
        while index < end {
            if bytes[index] == .lf { return .invalid }
            if bytes[index] == .cr {
                guard bytes[index + 1] == .lf else { return .invalid }
                lines.append(start..<index)
                start = index + 2
                index += 2
                continue
            }
            index += 1
        }
        lines.append(start..<end)
        guard let statusLine = lines.first, statusLine.count >= 12,
              Array(bytes[statusLine.lowerBound..<(statusLine.lowerBound + 7)]) == Array("HTTP/1.".utf8),
              bytes[statusLine.lowerBound + 8] == .space else { return .invalid }
        let minor = bytes[statusLine.lowerBound + 7]
        let digits = bytes[(statusLine.lowerBound + 9)..<(statusLine.lowerBound + 12)]
        guard minor == UInt8(ascii: "0") || minor == UInt8(ascii: "1"), digits.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) else { return .invalid }
        let status = digits.reduce(0) { $0 * 10 + Int($1 - 0x30) }
        var headers: [Header] = []
        headers.reserveCapacity(lines.count - 1)
        var contentLength: Int?
        var chunked = false
        var keepAlive = minor == UInt8(ascii: "1")
        for line in lines.dropFirst() {
            guard let colon = line.first(where: { bytes[$0] == .colon }), colon > line.lowerBound,
                  bytes[line.lowerBound] != .space, bytes[line.lowerBound] != .tab,
                  (line.lowerBound..<colon).allSatisfy({ bytes[$0].isTokenCharacter }) else { return .invalid }
            var valueStart = colon + 1, valueEnd = line.upperBound
            while valueStart < valueEnd, bytes[valueStart] == .space || bytes[valueStart] == .tab { valueStart += 1 }
            while valueEnd > valueStart, bytes[valueEnd - 1] == .space || bytes[valueEnd - 1] == .tab { valueEnd -= 1 }
            let name = bytes[line.lowerBound..<colon], value = bytes[valueStart..<valueEnd]
            if ParsedRequestHead.equalsIgnoringCase(name, "content-length") {
                guard contentLength == nil, !value.isEmpty, value.count <= 18, value.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) else { return .invalid }
                contentLength = value.reduce(0) { $0 * 10 + Int($1 - 0x30) }
            } else if ParsedRequestHead.equalsIgnoringCase(name, "transfer-encoding") {
                guard !chunked, ParsedRequestHead.equalsIgnoringCase(value, "chunked") else { return .invalid }
                chunked = true
            } else if ParsedRequestHead.equalsIgnoringCase(name, "connection") {
                let tokens = String(decoding: value, as: UTF8.self).lowercased().split(separator: ",").map { $0.trimmingSpaces() }
                if tokens.contains("close") { keepAlive = false }
                if tokens.contains("keep-alive") && minor == UInt8(ascii: "0") { keepAlive = true }
            }
            headers.append(Header(String(decoding: name, as: UTF8.self), String(decoding: value, as: UTF8.self)))
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
        return .complete(Head(status: status, headers: headers, framing: framing, keepAlive: keepAlive, length: end + 4))
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
