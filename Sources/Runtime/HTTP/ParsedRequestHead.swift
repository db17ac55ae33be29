/// A request head as offsets into the bytes it was parsed from: nothing copied, so
/// a proxy can forward the original lines and rewrite only those a decision touches.
public struct ParsedRequestHead: Sendable, Equatable {
    public struct Field: Sendable, Equatable {
        public var name: Range<Int>
        /// The value without surrounding whitespace.
        public var value: Range<Int>
        /// The whole line, CRLF included.
        public var line: Range<Int>
    }

    public var method: Range<Int>
    public var target: Range<Int>
    /// 1 for HTTP/1.1, 0 for HTTP/1.0.
    public var minorVersion: Int
    public var fields: [Field] = []
    /// Bytes of the head, through the empty line.
    public var length = 0
    /// The body's framing.
    public var contentLength: Int?
    public var chunked = false
    /// Whether the connection may carry another request after this one.
    public var keepAlive: Bool
    var hostCount = 0
    var transferEncodingSeen = false
    var error: RequestHeadError?

    /// An empty head, for `RequestHeadParser.parse(_:into:)` to fill. Nothing is
    /// allocated until the first request line arrives: a connection that never sends
    /// one (10,000 idle ones, say) costs no field list.
    public init() {
        method = 0..<0
        target = 0..<0
        minorVersion = 1
        keepAlive = true
    }

    init(method: Range<Int>, target: Range<Int>, minorVersion: Int) {
        self.method = method
        self.target = target
        self.minorVersion = minorVersion
        self.keepAlive = minorVersion == 1
        // One allocation for a typical head rather than growing through 1, 2, 4, 8.
        fields.reserveCapacity(16)
    }

    /// Starts over for the next request line, keeping the field list's storage.
    mutating func reset(method: Range<Int>, target: Range<Int>, minorVersion: Int) {
        self.method = method
        self.target = target
        self.minorVersion = minorVersion
        keepAlive = minorVersion == 1
        if fields.capacity == 0 { fields.reserveCapacity(16) } else { fields.removeAll(keepingCapacity: true) }
        length = 0
        contentLength = nil
        chunked = false
        hostCount = 0
        transferEncodingSeen = false
        error = nil
    }

    /// Records a field, tracking the ones that decide framing and persistence.
    mutating func add(_ field: Field, _ bytes: UnsafeRawBufferPointer) {
        fields.append(field)
        let name = bytes[field.name]
        let value = bytes[field.value]
        // By length first: most fields are none of the four.
        switch name.count {
        case 14, 17, 4, 10: break
        default: return
        }
        if Self.equalsIgnoringCase(name, "content-length") {
            guard contentLength == nil, let length = Digits.parse(value) else {
                error = .invalidContentLength
                return
            }
            contentLength = length
        } else if Self.equalsIgnoringCase(name, "transfer-encoding") {
            // Only `chunked`, once, as the last (and here only) coding.
            guard !transferEncodingSeen, Self.equalsIgnoringCase(value, "chunked") else {
                error = transferEncodingSeen ? .conflictingFraming : .unsupportedTransferEncoding
                return
            }
            transferEncodingSeen = true
            chunked = true
        } else if Self.equalsIgnoringCase(name, "host") {
            hostCount += 1
        } else if Self.equalsIgnoringCase(name, "connection") {
            let tokens = ConnectionTokens(UnsafeRawBufferPointer(rebasing: value))
            if tokens.close { keepAlive = false }
            if tokens.keepAlive && minorVersion == 0 { keepAlive = true }
        }
    }

    /// Framing rules that need the whole head (RFC 9112 6.1, 6.3; RFC 9110 7.2).
    func checkFraming() -> RequestHeadError? {
        if chunked && contentLength != nil { return .conflictingFraming }
        if chunked && minorVersion == 0 { return .conflictingFraming }
        if hostCount > 1 { return .multipleHosts }
        if hostCount == 0 && minorVersion == 1 { return .missingHost }
        return nil
    }

    /// Whether the bytes are `lowercase` in any case (a slice of the read buffer, as the parsers have it).
    static func equalsIgnoringCase(_ bytes: Slice<UnsafeRawBufferPointer>, _ lowercase: StaticString) -> Bool {
        equalsIgnoringCase(UnsafeRawBufferPointer(rebasing: bytes), lowercase)
    }

    static func equalsIgnoringCase(_ bytes: UnsafeRawBufferPointer, _ lowercase: StaticString) -> Bool {
        lowercase.withUTF8Buffer { ASCIICase.equal(raw: bytes, UnsafeRawBufferPointer($0)) }
    }

    /// The head as the engine reads it: method and target as text, the header lines'
    /// names (lower-cased, eight bytes at a time) and values copied into one array with
    /// their line table (`RequestHead.Lines`).
    public func requestHead(_ bytes: UnsafeRawBufferPointer, clientAddress: String) -> RequestHead {
        // As typed bytes: String(decoding:) of a raw buffer's slice took the generic path.
        func text(_ range: Range<Int>) -> String {
            String(decoding: UnsafeRawBufferPointer(rebasing: bytes[range]).assumingMemoryBound(to: UInt8.self), as: UTF8.self)
        }
        var content = 0
        for field in fields { content += field.name.count + field.value.count }
        let tableOffset = RequestHead.Lines.tableOffset(content)
        let total = RequestHead.Lines.packedCount(contentBytes: content, count: fields.count)
        // Packed on the stack, then copied into the array at once: an array made
        // uninitialized goes through the standard library's unspecialized path (a
        // generic-metadata lookup per request).
        let packed = withUnsafeTemporaryAllocation(of: UInt8.self, capacity: max(total, 1)) { out -> [UInt8] in
            guard let base = out.baseAddress, let source = bytes.baseAddress else { return [] }
            let table = UnsafeMutableRawPointer(base + tableOffset)
            var next = 0
            for (index, field) in fields.enumerated() {
                let nameStart = next
                Self.copyLowercased(from: source + field.name.lowerBound, count: field.name.count, to: base + next)
                next += field.name.count
                let valueStart = next
                (base + next).initialize(from: source.assumingMemoryBound(to: UInt8.self) + field.value.lowerBound, count: field.value.count)
                next += field.value.count
                RequestHead.Lines.store(RequestHead.Line(nameStart: nameStart, valueStart: valueStart, valueEnd: next), at: index, table: table)
            }
            // The padding before the table: initialized, never read.
            (base + next).initialize(repeating: 0, count: tableOffset - next)
            return Array(UnsafeBufferPointer(rebasing: out[0..<total]))
        }
        return RequestHead(method: text(method), target: text(target), packed: packed, lineCount: fields.count, clientAddress: clientAddress)
    }

    /// Names are tokens (ASCII, checked by the parser): folded a word at a time.
    private static func copyLowercased(from source: UnsafeRawPointer, count: Int, to target: UnsafeMutablePointer<UInt8>) {
        var offset = 0
        let raw = UnsafeMutableRawPointer(target)
        while offset &+ 8 <= count {
            raw.storeBytes(of: ASCIICase.lower(word: source.loadUnaligned(fromByteOffset: offset, as: UInt64.self)), toByteOffset: offset, as: UInt64.self)
            offset &+= 8
        }
        while offset < count {
            (target + offset).initialize(to: ASCIICase.lower(source.load(fromByteOffset: offset, as: UInt8.self)))
            offset &+= 1
        }
    }
}
