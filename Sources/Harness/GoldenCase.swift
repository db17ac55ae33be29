import GatewayDSL
import Runtime

/// One recorded exchange, or a sequence of them, that a compiled gateway must reproduce.
public struct GoldenCase: Sendable {
    public var name: String
    public var description: String?
    public var location: SourceLocation
    public var steps: [Step]

    /// One request with what must happen.
    public struct Step: Sendable {
        /// Milliseconds since the epoch on the virtual clock.
        public var clock: Int64
        public var principal: Principal?
        public var request: RequestHead
        /// nil: the gateway must not call any upstream.
        public var upstream: ExpectedUpstream?
        public var response: ExpectedResponse
        public var location: SourceLocation
        /// The step's principal was written on the step, not inherited from the case.
        public var ownPrincipal = false
    }

    public struct ExpectedUpstream: Sendable {
        public var service: String?
        public var method: String?
        public var target: String?
        public var headers: [Header]
        public var absent: [String]
        public var reply: GatewayResponse
        /// The upstream call fails instead of replying (502, 503 or 504 from the gateway).
        public var failure: Engine.UpstreamFailure?
    }

    public struct ExpectedResponse: Sendable {
        public var status: Int
        public var headers: [Header]
        public var absent: [String]
        /// Exact body text.
        public var body: String?
        /// JSON the body must equal; the string "<any>" matches any value.
        public var json: JSONValue?
    }
}

extension JSONValue {
    /// Whether `actual` matches this expectation; `"<any>"` matches anything.
    public func matches(_ actual: JSONValue) -> Bool {
        if case .string("<any>") = self { return true }
        switch (self, actual) {
        case (.array(let a), .array(let b)): return a.count == b.count && zip(a, b).allSatisfy { $0.matches($1) }
        case (.object(let a), .object(let b)):
            let other = Dictionary(b, uniquingKeysWith: { x, _ in x })
            return a.count == b.count && a.allSatisfy { key, value in other[key].map { value.matches($0) } ?? false }
        default: return self == actual
        }
    }
}
