/// `routes."METHOD /path"`: what the gateway does with matching requests.
public struct Route: Sendable {
    /// The key as written, e.g. `GET /api/v1/quotes/{pair}`.
    public var key: Located<String>
    /// nil matches every method (`ANY`).
    public var methods: [HTTPMethod]?
    public var path: PathTemplate
    public var host: Located<String>?
    public var guards: [RequestGuard]
    public var target: RouteTarget
    public var access: Access
    /// Which authenticators may establish the principal; nil means any the spec defines.
    public var authenticators: [Located<Authenticator>]?
    public var conditions: [Condition]
    public var limits: [RateLimit]
    public var requestHeaders: HeaderEdits
    public var responseHeaders: HeaderEdits
    /// nil inherits `security.cors`; `.disabled` turns CORS off for the route.
    public var cors: Override<CORSPolicy>
    public var csrf: Override<CSRFPolicy>
    public var timeout: Located<SpecDuration>?
    public var bodyLimit: Located<ByteSize>?
    /// Media types a request body must have; empty means not checked.
    public var accepts: [Located<String>]
    public var envelope: Located<Bool>?
    public var description: String?
    public var location: SourceLocation

    public init(key: Located<String>, methods: [HTTPMethod]?, path: PathTemplate, target: RouteTarget,
                access: Access, location: SourceLocation) {
        self.key = key
        self.methods = methods
        self.path = path
        self.host = nil
        self.guards = []
        self.target = target
        self.access = access
        self.authenticators = nil
        self.conditions = []
        self.limits = []
        self.requestHeaders = HeaderEdits()
        self.responseHeaders = HeaderEdits()
        self.cors = .inherit
        self.csrf = .inherit
        self.timeout = nil
        self.bodyLimit = nil
        self.accepts = []
        self.envelope = nil
        self.description = nil
        self.location = location
    }
}

/// A request method a route key may name.
public enum HTTPMethod: String, Sendable, Hashable, CaseIterable, Comparable {
    case get = "GET", head = "HEAD", post = "POST", put = "PUT", patch = "PATCH", delete = "DELETE", options = "OPTIONS"

    /// Safe methods (RFC 9110 9.2.1) need no CSRF protection.
    public var isSafe: Bool { self == .get || self == .head || self == .options }

    public static func < (lhs: HTTPMethod, rhs: HTTPMethod) -> Bool {
        allCases.firstIndex(of: lhs) ?? 0 < allCases.firstIndex(of: rhs) ?? 0
    }
}

/// Inherit the gateway-wide setting, turn it off, or replace it for one route.
public enum Override<Value: Sendable>: Sendable {
    case inherit
    case disabled
    case replaced(Value)
}

/// `match:`, extra conditions on headers or query parameters for a route to match.
public struct RequestGuard: Sendable, Hashable {
    public enum Source: String, Sendable, Hashable { case header, query }
    public enum Test: Sendable, Hashable {
        /// The value must be one of these.
        case oneOf([String])
        /// The header or parameter must be present, any value.
        case present
        /// The header or parameter must be absent.
        case absent
    }

    public var source: Source
    /// Header names are lower-cased; query names are kept as written.
    public var name: String
    public var test: Test
    public var location: SourceLocation
}

/// `to:` or `respond:`, where a matched request goes.
public enum RouteTarget: Sendable {
    case upstream(UpstreamTarget)
    case fixed(FixedResponse)
}

/// `to: SERVICE /path/{param}`: the upstream service and the path it receives.
public struct UpstreamTarget: Sendable {
    public var service: Located<String>
    /// The upstream path template; nil forwards the normalized request path unchanged.
    public var path: UpstreamPath?
    public var location: SourceLocation
}

/// The rewritten upstream path: literal text with `{param}` holes.
public struct UpstreamPath: Sendable, Hashable, CustomStringConvertible {
    public enum Part: Sendable, Hashable {
        case literal(String)
        case parameter(String, SourceLocation)
    }

    public var parts: [Part]

    public var description: String {
        parts.map { part in
            switch part {
            case .literal(let text): text
            case .parameter(let name, _): "{\(name)}"
            }
        }.joined()
    }
}

/// `respond:`, a reply the gateway sends itself.
public struct FixedResponse: Sendable {
    public enum Body: Sendable {
        case none
        case text(String)
        /// Canonical JSON text (keys sorted), built from the YAML.
        case json(String)

        public var hasContent: Bool {
            if case .none = self { return false }
            return true
        }
    }

    public var status: Located<Int>
    public var body: Body
    public var headers: [(name: String, value: String)]
    public var location: SourceLocation
}

/// The route's explicit auth decision. Every route must make one.
public enum Access: Sendable {
    /// `public: true`: no credentials needed.
    case isPublic(SourceLocation)
    /// Any authenticated principal (`allow: authenticated`).
    case authenticated(SourceLocation)
    /// A principal with at least one of the roles, or all of the permissions.
    case restricted(roles: [Located<String>], permissions: [Located<String>], location: SourceLocation)
    /// No decision written; an error the validator reports.
    case unspecified

    public var location: SourceLocation? {
        switch self {
        case .isPublic(let l), .authenticated(let l), .restricted(_, _, let l): l
        case .unspecified: nil
        }
    }
}

/// `auth:` on a route, which authenticators it accepts.
public enum Authenticator: Sendable, Hashable, CustomStringConvertible {
    case jwt(issuer: String)
    /// Any configured JWT issuer.
    case anyJWT
    case apiKey

    public var description: String {
        switch self {
        case .jwt(let issuer): "jwt:\(issuer)"
        case .anyJWT: "jwt"
        case .apiKey: "api-key"
        }
    }
}

/// One `when:` item: a named policy or an inline expression.
public enum Condition: Sendable {
    case policy(Located<String>)
    case inline(Expression)
}

/// `limit: 5/s per principal`.
public struct RateLimit: Sendable, Hashable {
    public enum Key: String, Sendable, Hashable, CaseIterable {
        case principal, apiKey = "api-key", ip, route
    }

    public var rate: Rate
    public var key: Key
    public var location: SourceLocation
}

/// `headers:` edits on the request sent upstream or the response sent back.
public struct HeaderEdits: Sendable, Hashable {
    public var setHeaders: [(name: String, value: String)]
    public var removeHeaders: [String]

    public init(setHeaders: [(name: String, value: String)] = [], removeHeaders: [String] = []) {
        self.setHeaders = setHeaders
        self.removeHeaders = removeHeaders
    }

    public var isEmpty: Bool { setHeaders.isEmpty && removeHeaders.isEmpty }

    public static func == (lhs: HeaderEdits, rhs: HeaderEdits) -> Bool {
        lhs.setHeaders.map(\.name) == rhs.setHeaders.map(\.name) && lhs.setHeaders.map(\.value) == rhs.setHeaders.map(\.value)
            && lhs.removeHeaders == rhs.removeHeaders
    }

    public func hash(into hasher: inout Hasher) {
        for pair in setHeaders { hasher.combine(pair.name); hasher.combine(pair.value) }
        hasher.combine(removeHeaders)
    }
}
