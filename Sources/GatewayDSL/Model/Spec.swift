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
