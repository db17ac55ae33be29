import Artifact

/// A response the client gets: from the gateway itself, or an upstream's after the
/// route's transforms.
public struct GatewayResponse: Sendable, Equatable {
    public var status: Int
    public var headers: [Header]
    public var body: [UInt8]

    public init(status: Int, headers: [Header] = [], body: [UInt8] = []) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    public func header(_ name: String) -> String? { headers.first { $0.name == name }?.value }
    public var bodyText: String { String(decoding: body, as: UTF8.self) }
}

/// A header field with a lower-case name.
public struct Header: Sendable, Hashable {
    public var name: String
    public var value: String

    public init(_ name: String, _ value: String) {
        self.name = name.utf8.contains(where: { $0 >= 0x41 && $0 <= 0x5A }) ? name.lowercased() : name
        self.value = value
    }

    /// For names already lower-case (the gateway's own and the artifact's): no scan.
    init(lowercased name: String, _ value: String) {
        self.name = name
        self.value = value
    }
}

/// The request the gateway sends upstream: already normalized, stripped and
/// injected. It is kept as edits of the client's head, the way the server writes it:
/// the client's header lines minus `dropped`, then the gateway's `added` lines.
public struct UpstreamRequest: Sendable, Equatable {
    public var service: Int
    public var serviceName: String
    public var method: String
    /// The path and query as the upstream receives them.
    public var target: String
    public var timeoutMilliseconds: Int
    /// The client's headers as the engine read them; those in `dropped` are not sent.
    public var clientHeaders: [(name: String, value: String)]
    public var dropped: HeaderIndexSet
    /// The gateway's lines: request id, trace context, X-Forwarded-*, identity, the route's `set`.
    public var added: HeaderBlock

    /// Every header the upstream receives, in order (for the harness and tests).
    public var headers: [Header] {
        var headers: [Header] = []
        for (index, header) in clientHeaders.enumerated() where !dropped.contains(index) { headers.append(Header(lowercased: header.name, header.value)) }
        return headers + added.headers
    }

    public static func == (lhs: UpstreamRequest, rhs: UpstreamRequest) -> Bool {
        lhs.service == rhs.service && lhs.serviceName == rhs.serviceName && lhs.method == rhs.method && lhs.target == rhs.target
            && lhs.timeoutMilliseconds == rhs.timeoutMilliseconds && lhs.headers == rhs.headers
    }
}

/// How an upstream's reply head becomes the client's: its header lines minus
/// `dropped`, then the gateway's `added` lines; with `envelope`, the JSON body is
/// wrapped (`Engine.envelope`) and so re-framed by the server.
public struct ResponseHeadEdits: Sendable, Equatable {
    public var dropped: HeaderIndexSet
    public var added: HeaderBlock
    public var envelope: Bool
}

/// What to do to the upstream's reply before it goes to the client.
public struct ResponsePlan: Sendable, Equatable {
    public var route: Int
    public var requestID: String
    public var corsHeaders: [Header]
    public var envelope: Bool
    public var timestampMilliseconds: Int64
    /// The last limit checked and its decision, rendered into RateLimit headers on the reply.
    public var rateLimit: RateLimitState?
    /// Who made the request, for the access log and record mode.
    public var principal: Principal?
}

/// A limit check's outcome, kept as numbers until a response needs the headers.
public struct RateLimitState: Sendable, Equatable {
    public var limit: LimitEntry
    public var decision: RateDecision

    /// `RateLimit-Policy` and `RateLimit` (IETF httpapi ratelimit-headers draft), and
    /// `Retry-After` when refused.
    public var headers: [Header] {
        var headers: [Header] = []
        appendHeaders(to: &headers)
        return headers
    }

    /// Fewer requests left, or as few and a smaller limit.
    func isStricter(than other: RateLimitState) -> Bool {
        decision.remaining != other.decision.remaining ? decision.remaining < other.decision.remaining : limit.count < other.limit.count
    }

    func appendHeaders(to headers: inout [Header]) {
        headers += HeaderBlock.build(capacity: 160) { write(to: &$0) }.headers
    }

    func write(to out: inout ByteWriter) {
        let decision = decision, limit = limit
        if !decision.allowed {
            out.writeLine("retry-after: ", own: { $0.write(decimal: max(1, (decision.retryAfterMilliseconds + 999) / 1_000)) })
        }
        out.writeLine("ratelimit-policy: ", own: { out in
            out.write(decimal: Int64(limit.count))
            out.write(";w=")
            out.write(decimal: max(1, Int64(limit.periodMilliseconds / 1_000)))
            out.write(";burst=")
            out.write(decimal: Int64(limit.burst))
        })
        out.writeLine("ratelimit: ", own: { out in
            out.write("limit=")
            out.write(decimal: Int64(limit.count))
            out.write(", remaining=")
            out.write(decimal: Int64(decision.remaining))
            out.write(", reset=")
            out.write(decimal: (decision.resetMilliseconds + 999) / 1_000)
        })
    }
}

/// The engine's answer for one request.
public enum Decision: Sendable, Equatable {
    /// Answer the client now (errors, preflights, fixed replies). `route` is nil
    /// when no route was matched.
    case respond(GatewayResponse, route: Int?)
    /// Call the upstream, then apply the plan to its reply (`Engine.finish`).
    case forward(UpstreamRequest, ResponsePlan)
}
