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
