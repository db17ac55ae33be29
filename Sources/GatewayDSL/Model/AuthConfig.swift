/// `auth:`, how clients prove who they are.
public struct AuthConfig: Sendable {
    public var jwtIssuers: [JWTIssuer]
    public var apiKeys: APIKeyConfig?
    /// Whether the specs wrote these sections at all, valid or not.
    var declaresJWT = false
    var declaresAPIKeys = false

    public init(jwtIssuers: [JWTIssuer] = [], apiKeys: APIKeyConfig? = nil) {
        self.jwtIssuers = jwtIssuers
        self.apiKeys = apiKeys
    }

    public func issuer(named name: String) -> JWTIssuer? { jwtIssuers.first { $0.name.value == name } }
}
