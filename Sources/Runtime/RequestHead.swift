/// What the engine needs of a request: its method, target, headers and client.
/// Header names are lower-case; the server hands them over as read.
///
/// The headers are kept as bytes: every line's lower-case name and value one after
/// another, then a table of where each line's parts are, all in one array. A head is
/// made for every request, and a String per name and value cost more to make and to
/// tear down than the rest of what the head holds (an array of line records besides
/// cost a generic-metadata lookup per request); a value becomes a String only when
/// something asks for it by name, and the server writes the lines upstream as bytes.
public struct RequestHead: Sendable {
    struct Fields: Sendable {
        var method: String
        var target: String
        /// Names and values, then the line table from `tableOffset` on.
        var bytes: [UInt8]
        var lineCount: Int
        var tableOffset: Int
        var clientAddress: String
        var forwardedProto: String?
        var forwardedHost: String?
        var known: KnownHeaders
    }

    private var storage: CopyOnWriteBox<Fields>

    public var method: String {
        get { storage.value.method }
        set { CopyOnWriteBox.mutate(&storage) { $0.method = newValue } }
    }
    public var target: String {
        get { storage.value.target }
        set { CopyOnWriteBox.mutate(&storage) { $0.target = newValue } }
    }
    /// The header lines as pairs of Strings, made on each call (for tests, the
    /// harness and record mode; the server's path reads them by name or as bytes).
    public var headers: [(name: String, value: String)] {
        get { withLines { bytes, lines in lines.indices.map { (Self.text(bytes, lines[$0].name), Self.text(bytes, lines[$0].value)) } } }
        set {
            let (bytes, count) = Self.pack(newValue)
            CopyOnWriteBox.mutate(&storage) { fields in
                (fields.bytes, fields.lineCount, fields.tableOffset) = (bytes, count, bytes.count - 12 * count)
                fields.known = Self.known(bytes, count: count)
            }
        }
    }
    public var clientAddress: String {
        get { storage.value.clientAddress }
        set { CopyOnWriteBox.mutate(&storage) { $0.clientAddress = newValue } }
    }
    /// The scheme and host the client used, when a trusted proxy in front said so
    /// (X-Forwarded-Proto / -Host); nil means the connection itself.
    public var forwardedProto: String? {
        get { storage.value.forwardedProto }
        set { CopyOnWriteBox.mutate(&storage) { $0.forwardedProto = newValue } }
    }
    public var forwardedHost: String? {
        get { storage.value.forwardedHost }
        set { CopyOnWriteBox.mutate(&storage) { $0.forwardedHost = newValue } }
    }

    public init(method: String, target: String, headers: [(name: String, value: String)] = [], clientAddress: String = "127.0.0.1") {
        let (bytes, count) = Self.pack(headers)
        self.init(method: method, target: target, packed: bytes, lineCount: count, clientAddress: clientAddress)
    }

    /// For headers already packed (`Lines`), names lower-case: the server's parser
    /// packs them as it copies them out of the read buffer.
    init(method: String, target: String, packed bytes: [UInt8], lineCount: Int, clientAddress: String) {
        storage = CopyOnWriteBox(Fields(method: method, target: target, bytes: bytes, lineCount: lineCount, tableOffset: bytes.count - 12 * lineCount,
                                        clientAddress: clientAddress, forwardedProto: nil, forwardedHost: nil,
                                        known: Self.known(bytes, count: lineCount)))
    }

    /// The first value of a header (`name` lower-case).
    public func header(_ name: String) -> String? { withValue(of: name) { String(decoding: $0, as: UTF8.self) } }

    /// The first value of a header the gateway reads by name, found by position.
    func header(_ name: KnownHeaders.Name) -> String? { withValue(name) { String(decoding: $0, as: UTF8.self) } }

    /// The first value of a header as bytes, read in place; nil when absent.
    func withValue<Result>(of name: String, _ body: (UnsafeBufferPointer<UInt8>) -> Result) -> Result? {
        var name = name
        return name.withUTF8 { name in
            withLines { bytes, lines in
                // Lengths first (most names differ in length), then the bytes.
                guard let index = lines.first(named: name, in: bytes) else { return nil }
                return body(UnsafeBufferPointer(rebasing: bytes[lines[index].value]))
            }
        }
    }

    /// The same for a header the gateway reads by name, found by position.
    func withValue<Result>(_ name: KnownHeaders.Name, _ body: (UnsafeBufferPointer<UInt8>) -> Result) -> Result? {
        guard let position = storage.value.known.position(name) else { return nil }
        return withLines { bytes, lines in body(UnsafeBufferPointer(rebasing: bytes[lines[position].value])) }
    }

    /// Whether a header the gateway reads by name is present, without making its value.
    func has(_ name: KnownHeaders.Name) -> Bool { storage.value.known.position(name) != nil }

    /// The client's lines never forwarded upstream as sent (identity, hop-by-hop, the
    /// gateway's own).
    var replacedUpstream: HeaderIndexSet { storage.value.known.replacedUpstream }

    /// The header bytes and where each line is, read in place.
    func withLines<Result>(_ body: (UnsafeBufferPointer<UInt8>, Lines) -> Result) -> Result {
        // Each field read where it is: a copy of the fields would count every reference in them.
        let (tableOffset, count) = (storage.value.tableOffset, storage.value.lineCount)
        return storage.value.bytes.withUnsafeBufferPointer { bytes in
            body(bytes, Lines(table: bytes.baseAddress.map { UnsafeRawPointer($0 + tableOffset) }, count: count))
        }
    }

    /// A cookie's value from the Cookie header(s): the first pair named `name`, by
    /// bytes (RFC 6265 `name=value` pairs split by `;`, spaces and tabs around them
    /// trimmed).
    public func cookie(_ name: String) -> String? {
        guard has(.cookie) else { return nil }
        var name = name
        let cookie: StaticString = "cookie"
        return name.withUTF8 { name in
            cookie.withUTF8Buffer { cookie in
                withLines { bytes, lines in
                    for index in lines.indices {
                        let line = lines[index]
                        guard line.valueStart &- line.nameStart == cookie.count, Self.equal(bytes, line.nameStart, cookie) else { continue }
                        if let value = Self.cookie(name, in: UnsafeBufferPointer(rebasing: bytes[line.value])) { return value }
                    }
                    return nil
                }
            }
        }
    }

    private static func cookie(_ name: UnsafeBufferPointer<UInt8>, in header: UnsafeBufferPointer<UInt8>) -> String? {
        func blank(_ byte: UInt8) -> Bool { byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t") }
        func trimmed(_ range: Range<Int>) -> Range<Int> {
            var (start, end) = (range.lowerBound, range.upperBound)
            while start < end, blank(header[start]) { start += 1 }
            while end > start, blank(header[end - 1]) { end -= 1 }
            return start..<end
        }
        var start = 0
        while start <= header.count {
            var end = start
            while end < header.count, header[end] != UInt8(ascii: ";") { end += 1 }
            // A pair needs something on both sides of its `=` (as splitting it did before).
            if let equals = header[start..<end].firstIndex(of: UInt8(ascii: "=")), equals > start, equals + 1 < end {
                let key = trimmed(start..<equals)
                if header[key].elementsEqual(name) {
                    return String(decoding: UnsafeBufferPointer(rebasing: header[trimmed((equals + 1)..<end)]), as: UTF8.self)
                }
            }
            start = end + 1
        }
        return nil
    }

    /// The declared body length: Content-Length, or nil when absent or chunked.
    /// Only digits count (RFC 9110 8.6: `1*DIGIT`); read as bytes, not through `Int(String)`.
    public var contentLength: Int? {
        withValue(.contentLength) { Digits.parse($0) } ?? nil
    }

    /// Whether the request carries a body at all.
    public var hasBody: Bool { (contentLength ?? 0) > 0 || has(.transferEncoding) }

    static func text(_ bytes: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) -> String {
        String(decoding: UnsafeBufferPointer(rebasing: bytes[range]), as: UTF8.self)
    }

    /// Whether the bytes from `start` on begin with `other`'s (the caller checked the room).
    private static func equal(_ bytes: UnsafeBufferPointer<UInt8>, _ start: Int, _ other: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let base = bytes.baseAddress, let otherBase = other.baseAddress else { return other.isEmpty }
        return ASCIICase.same(UnsafeRawPointer(base + start), UnsafeRawPointer(otherBase), count: other.count)
    }
}

extension Substring {
    /// Without leading and trailing spaces and tabs. By UTF-8 bytes: going by
    /// Characters cost grapheme breaking for every one (some 1,500 instructions to trim
    /// a bearer token).
    func trimmingSpaces() -> Substring {
        let utf8 = self.utf8
        func blank(_ byte: UInt8) -> Bool { byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t") }
        var start = utf8.startIndex, end = utf8.endIndex
        while start < end, blank(utf8[start]) { utf8.formIndex(after: &start) }
        while start < end {
            let last = utf8.index(before: end)
            guard blank(utf8[last]) else { break }
            end = last
        }
        return Substring(utf8[start..<end])
    }
}
