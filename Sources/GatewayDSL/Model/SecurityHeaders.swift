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
