/// What the engine needs of a request: its method, target, headers and client.
/// Header names are lower-case; the server hands them over as read.
public struct RequestHead: Sendable {
    public var method: String
    public var target: String
    public var headers: [(name: String, value: String)]
    public var clientAddress: String
    /// The scheme and host the client used, when a trusted proxy in front said so
    /// (X-Forwarded-Proto / -Host); nil means the connection itself.
    public var forwardedProto: String?
    public var forwardedHost: String?

    public init(method: String, target: String, headers: [(name: String, value: String)] = [], clientAddress: String = "127.0.0.1") {
        self.method = method
        self.target = target
        self.headers = headers.map { header in
            (header.name.utf8.contains { $0 >= 0x41 && $0 <= 0x5A } ? header.name.lowercased() : header.name, header.value)
        }
        self.clientAddress = clientAddress
    }

    /// For names already lower-case (the server's parser makes them so): no scan, no copy.
    init(method: String, target: String, lowercasedHeaders: [(name: String, value: String)], clientAddress: String) {
        self.method = method
        self.target = target
        self.headers = lowercasedHeaders
        self.clientAddress = clientAddress
    }

    /// The first value of a header.
    public func header(_ name: String) -> String? {
        headers.first { $0.name == name }?.value
    }

    /// A cookie's value from the Cookie header.
    public func cookie(_ name: String) -> String? {
        for header in headers where header.name == "cookie" {
            for pair in header.value.split(separator: ";") {
                let parts = pair.split(separator: "=", maxSplits: 1)
                if parts.count == 2, parts[0].trimmingSpaces() == name { return String(parts[1].trimmingSpaces()) }
            }
        }
        return nil
    }

    /// The declared body length: Content-Length, or nil when absent or chunked.
    public var contentLength: Int? { header("content-length").flatMap { Int($0) } }

    /// Whether the request carries a body at all.
    public var hasBody: Bool { (contentLength ?? 0) > 0 || header("transfer-encoding") != nil }
}

extension Substring {
    func trimmingSpaces() -> Substring {
        var text = self
        while text.first == " " || text.first == "\t" { text.removeFirst() }
        while text.last == " " || text.last == "\t" { text.removeLast() }
        return text
    }
}
