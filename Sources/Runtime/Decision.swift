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
/// injected, so the server forwards it as it is.
public struct UpstreamRequest: Sendable, Equatable {
    public var service: Int
    public var serviceName: String
    public var method: String
    /// The path and query as the upstream receives them.
    public var target: String
    public var headers: [Header]
    public var timeoutMilliseconds: Int
}

/// What to do to the upstream's reply before it goes to the client.
public struct ResponsePlan: Sendable, Equatable {
    public var route: Int
    public var requestID: String
    public var setHeaders: [Header]
    public var removeHeaders: [String]
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
        if !decision.allowed {
            var retry = ASCIIText()
            retry.append(decimal: max(1, (decision.retryAfterMilliseconds + 999) / 1_000))
            headers.append(Header(lowercased: "retry-after", retry.string))
        }
        var policy = ASCIIText()
        policy.append(decimal: Int64(limit.count))
        policy.append(";w=")
        policy.append(decimal: max(1, Int64(limit.periodMilliseconds / 1_000)))
        policy.append(";burst=")
        policy.append(decimal: Int64(limit.burst))
        headers.append(Header(lowercased: "ratelimit-policy", policy.string))
        var state = ASCIIText()
        state.append("limit=")
        state.append(decimal: Int64(limit.count))
        state.append(", remaining=")
        state.append(decimal: decision.remaining)
        state.append(", reset=")
        state.append(decimal: (decision.resetMilliseconds + 999) / 1_000)
        headers.append(Header(lowercased: "ratelimit", state.string))
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
