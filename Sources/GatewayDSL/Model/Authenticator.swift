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
