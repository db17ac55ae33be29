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
