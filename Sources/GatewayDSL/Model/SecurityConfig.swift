/// `security:`, browser-facing protections applied gateway-wide; routes may override.
public struct SecurityConfig: Sendable {
    public var cors: CORSPolicy?
    public var csrf: CSRFPolicy?
    public var headers: SecurityHeaders

    public init(cors: CORSPolicy? = nil, csrf: CSRFPolicy? = nil, headers: SecurityHeaders = SecurityHeaders()) {
        self.cors = cors
        self.csrf = csrf
        self.headers = headers
    }
}

/// `cors:`, which browser origins may call the API.
public struct CORSPolicy: Sendable, Hashable {
    /// Exact origins (`https://trade.forex.example`), or `*` for any.
    public var origins: [Located<String>]
    public var methods: [String]
    /// Request headers a browser may send.
    public var headers: [String]
    /// Response headers a browser script may read.
    public var expose: [String]
    public var credentials: Located<Bool>
    public var maxAge: SpecDuration
    public var location: SourceLocation

    public var allowsAnyOrigin: Bool { origins.contains { $0.value == "*" } }
}

/// `csrf:`, protection for cookie-authenticated requests with unsafe methods.
public struct CSRFPolicy: Sendable, Hashable {
    public enum Mode: String, Sendable, Hashable, CaseIterable {
        /// `Origin` (or `Sec-Fetch-Site`) must name a trusted origin.
        case origin
        /// A cookie's value must be echoed in a header.
        case doubleSubmit = "double-submit"
    }

    public var mode: Mode
    public var cookie: String
    public var header: String
    /// Origins accepted besides the CORS origins.
    public var trustedOrigins: [Located<String>]
    public var location: SourceLocation
}

/// `headers:` under `security`, the response headers that harden browsers.
/// nil means the gateway's default; `false` in the spec turns a header off.
public struct SecurityHeaders: Sendable, Hashable {
    public enum Setting: Sendable, Hashable {
        case off
        case value(String)
    }

    public var hsts: Setting?
    public var contentTypeOptions: Setting?
    public var frameOptions: Setting?
    public var referrerPolicy: Setting?
    public var contentSecurityPolicy: Setting?
    public var permissionsPolicy: Setting?
    public var location: SourceLocation?

    public init() {}

    public static let defaults: [(key: String, value: String)] = [
        ("hsts", "max-age=31536000; includeSubDomains"),
        ("content-type-options", "nosniff"),
        ("frame-options", "DENY"),
        ("referrer-policy", "no-referrer"),
        ("csp", "default-src 'none'; frame-ancestors 'none'"),
        ("permissions-policy", "geolocation=(), camera=(), microphone=()"),
    ]
}

/// `responses:`, the shape of what the gateway itself sends.
public struct ResponseFormat: Sendable {
    /// Base URI for problem+json `type` values; problems are `<base><slug>`.
    public var problemTypeBase: Located<String>?
    public var envelope: Envelope?

    public init(problemTypeBase: Located<String>? = nil, envelope: Envelope? = nil) {
        self.problemTypeBase = problemTypeBase
        self.envelope = envelope
    }

    /// The success envelope: `{"data": <upstream body>, "meta": {...}}`.
    public struct Envelope: Sendable, Hashable {
        public enum MetaField: String, Sendable, Hashable, CaseIterable {
            case requestId = "request-id"
            case timestamp
            case route
        }

        public var dataField: String
        public var meta: [MetaField]
        public var location: SourceLocation
    }
}
