/// What the engine needs of a request: its method, target, headers and client.
/// Header names are lower-case; the server hands them over as read.
public struct RequestHead: Sendable {
    struct Fields: Sendable {
        var method: String
        var target: String
        var headers: [(name: String, value: String)]
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
    public var headers: [(name: String, value: String)] {
        get { storage.value.headers }
        set { CopyOnWriteBox.mutate(&storage) { ($0.headers, $0.known) = (newValue, KnownHeaders(newValue)) } }
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
        let headers = headers.map { header in
            (header.name.utf8.contains { $0 >= 0x41 && $0 <= 0x5A } ? header.name.lowercased() : header.name, header.value)
        }
        self.init(method: method, target: target, lowercasedHeaders: headers, clientAddress: clientAddress)
    }

    /// For names already lower-case (the server's parser makes them so): no scan, no copy.
    init(method: String, target: String, lowercasedHeaders: [(name: String, value: String)], clientAddress: String) {
        storage = CopyOnWriteBox(Fields(method: method, target: target, headers: lowercasedHeaders, clientAddress: clientAddress,
                                        known: KnownHeaders(lowercasedHeaders)))
    }

    /// The first value of a header.
    public func header(_ name: String) -> String? {
        // Lengths first: most names differ in length, and a length is read from the
        // string itself, where `==` on two different strings calls into the runtime.
        let length = name.utf8.count
        // Read in place: a for-in over the array copies (retains) each name and value.
        return storage.value.headers.withUnsafeBufferPointer { headers in
            for index in headers.indices where headers[index].name.utf8.count == length && headers[index].name == name { return headers[index].value }
            return nil
        }
    }

    /// The first value of a header the gateway reads by name, found by position.
    func header(_ name: KnownHeaders.Name) -> String? {
        guard let position = storage.value.known.position(name) else { return nil }
        return storage.value.headers[position].value
    }

    /// The client's lines never forwarded upstream as sent (identity, hop-by-hop, the
    /// gateway's own).
    var replacedUpstream: HeaderIndexSet { storage.value.known.replacedUpstream }

    /// A cookie's value from the Cookie header.
    public func cookie(_ name: String) -> String? {
        guard storage.value.known.position(.cookie) != nil else { return nil }
        for header in headers where header.name == "cookie" {
            for pair in header.value.split(separator: ";") {
                let parts = pair.split(separator: "=", maxSplits: 1)
                if parts.count == 2, parts[0].trimmingSpaces() == name { return String(parts[1].trimmingSpaces()) }
            }
        }
        return nil
    }

    /// The declared body length: Content-Length, or nil when absent or chunked.
    /// Only digits count (RFC 9110 8.6: `1*DIGIT`); read as bytes, not through `Int(String)`.
    public var contentLength: Int? {
        guard var value = header(.contentLength) else { return nil }
        return value.withUTF8 { Digits.parse($0) }
    }

    /// Whether the request carries a body at all.
    public var hasBody: Bool { (contentLength ?? 0) > 0 || header(.transferEncoding) != nil }
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
