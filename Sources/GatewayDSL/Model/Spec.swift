/// A whole gateway as its specs describe it, merged from every file of a spec folder.
///
/// This is the model the compiler consumes. Names are unique across files and every
/// definition keeps the location it was written at. Lists keep source order (files in
/// path order, then as written), so what derives from a Spec is deterministic.
public struct Spec: Sendable {
    /// `gateway:`, the gateway's name.
    public var name: Located<String>?
    public var defaults: Defaults
    public var services: [Service]
    public var auth: AuthConfig
    public var roles: [Role]
    public var policies: [Policy]
    public var security: SecurityConfig
    public var responses: ResponseFormat
    public var routes: [Route]
    /// The files the spec was read from, in the order they were merged.
    public var files: [String]

    public init(
        name: Located<String>? = nil, defaults: Defaults = Defaults(), services: [Service] = [],
        auth: AuthConfig = AuthConfig(), roles: [Role] = [], policies: [Policy] = [],
        security: SecurityConfig = SecurityConfig(), responses: ResponseFormat = ResponseFormat(),
        routes: [Route] = [], files: [String] = []
    ) {
        self.name = name
        self.defaults = defaults
        self.services = services
        self.auth = auth
        self.roles = roles
        self.policies = policies
        self.security = security
        self.responses = responses
        self.routes = routes
        self.files = files
    }

    public func service(named name: String) -> Service? { services.first { $0.name.value == name } }
    public func role(named name: String) -> Role? { roles.first { $0.name.value == name } }
    public func policy(named name: String) -> Policy? { policies.first { $0.name.value == name } }
}

/// `defaults:`, gateway-wide settings that services and routes may override.
public struct Defaults: Sendable {
    /// Time allowed for an upstream request, first byte to last.
    public var timeout: Located<SpecDuration>?
    /// Time allowed to open an upstream connection.
    public var connectTimeout: Located<SpecDuration>?
    /// The largest request body accepted.
    public var bodyLimit: Located<ByteSize>?
    /// The largest request head (request line plus headers) accepted.
    public var headerLimit: Located<ByteSize>?
    /// Time allowed for a client to send the whole request head.
    public var headerTimeout: Located<SpecDuration>?
    /// How long an idle keep-alive connection is kept.
    public var idleTimeout: Located<SpecDuration>?
    /// Concurrent client connections accepted.
    public var maxConnections: Located<Int>?
    /// Whether successful upstream JSON responses are wrapped in the envelope.
    public var envelope: Located<Bool>?

    public init() {}

    public static let defaultTimeout = SpecDuration(milliseconds: 30_000)
    public static let defaultConnectTimeout = SpecDuration(milliseconds: 2_000)
    public static let defaultBodyLimit = ByteSize(bytes: 1 << 20)
    public static let defaultHeaderLimit = ByteSize(bytes: 16 << 10)
    public static let defaultHeaderTimeout = SpecDuration(milliseconds: 10_000)
    public static let defaultIdleTimeout = SpecDuration(milliseconds: 60_000)
    public static let defaultMaxConnections = 10_000
}
