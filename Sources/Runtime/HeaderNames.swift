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
}
