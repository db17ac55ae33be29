/// Which header names the gateway drops on the way through, decided by comparing
/// against a few names of the same length rather than hashing every name.
enum HeaderNames {
    /// Headers a client may not set, because the gateway sets them for upstreams.
    static let identity = ["x-user-id", "x-roles", "x-auth-method", "x-principal-id", "x-forwarded-for",
                           "x-forwarded-host", "x-forwarded-proto", "x-real-ip", "forwarded"]
    /// Hop-by-hop headers (RFC 9110 7.6.1), never forwarded in either direction.
    static let hopByHop = ["connection", "proxy-connection", "keep-alive", "te", "trailer", "transfer-encoding", "upgrade"]
    /// Never forwarded upstream as the client sent them: identity, hop-by-hop, and the
    /// ones the gateway rewrites (request id, trace context, host).
    /// `Expect: 100-continue` is answered by the gateway itself once it decides to forward.
    static let replacedUpstream = identity + hopByHop + ["x-request-id", "traceparent", "host", "expect"]
    /// Dropped from an upstream's reply before the gateway adds its own.
    static let replacedDownstream = hopByHop + ["x-request-id"]

    static let upstreamTable = LengthTable(replacedUpstream)
    static let downstreamTable = LengthTable(replacedDownstream)

    static func isReplacedUpstream(_ name: String) -> Bool { upstreamTable.contains(name) }
    static func isReplacedDownstream(_ name: String) -> Bool { downstreamTable.contains(name) }
    static func isHopByHop(_ name: String) -> Bool { hopByHop.contains(name) }
}

/// A small set of strings bucketed by UTF-8 length: a lookup compares at most the
/// two or three names of that length, and a name of any other length costs one load.
struct LengthTable: Sendable {
    private let buckets: [[String]]

    init(_ names: [String]) {
        var buckets = Array(repeating: [String](), count: (names.map(\.utf8.count).max() ?? 0) + 1)
        for name in names { buckets[name.utf8.count].append(name) }
        self.buckets = buckets
    }

    /// Whether `name`, in any case, is one of the (lower-case) names.
    func contains(bytes name: UnsafeRawBufferPointer) -> Bool {
        guard name.count < buckets.count else { return false }
        for var candidate in buckets[name.count] where candidate.withUTF8({ ASCIICase.equal(name, $0) }) { return true }
        return false
    }

    func contains(_ name: String) -> Bool {
        let length = name.utf8.count
        guard length < buckets.count else { return false }
        for candidate in buckets[length] where candidate == name { return true }
        return false
    }
}
