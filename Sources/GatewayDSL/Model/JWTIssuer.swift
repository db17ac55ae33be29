/// `auth.jwt.NAME`: a trusted JWT issuer.
public struct JWTIssuer: Sendable {
    public enum Algorithm: String, Sendable, Hashable, CaseIterable {
        case hs256 = "HS256", hs384 = "HS384", hs512 = "HS512"
        case rs256 = "RS256", rs384 = "RS384", rs512 = "RS512"
        case ps256 = "PS256"
        case es256 = "ES256", es384 = "ES384"
        case edDSA = "EdDSA"

        /// HMAC algorithms verify with a shared secret, the rest with a public key.
        public var isSymmetric: Bool { rawValue.hasPrefix("HS") }
    }

    /// Where verification keys come from. Each kind pins what algorithms it can serve.
    public enum Keys: Sendable, Hashable {
        /// A shared HMAC secret.
        case secret(SecretReference)
        /// One public key in PEM form.
        case pem(SecretReference)
        /// A JWKS document; the token's `kid` selects the key.
        case jwks(SecretReference)
    }

    public var name: Located<String>
    /// The `iss` claim a token must carry.
    public var issuer: Located<String>
    /// Accepted `aud` values; a token must name at least one. Empty means not checked.
    public var audiences: [Located<String>]
    public var algorithms: [Located<Algorithm>]
    public var keys: Located<Keys>
    public var leeway: SpecDuration
    /// Dotted claim paths that carry the subject, the roles and the scopes.
    public var subjectClaim: String
    public var rolesClaim: String?
    public var scopesClaim: String?
    /// Where the token is read from.
    public var source: TokenSource
    public var maxTokenSize: ByteSize
    public var location: SourceLocation

    public static let defaultLeeway = SpecDuration(milliseconds: 60_000)
    public static let maxLeeway = SpecDuration(milliseconds: 300_000)
    public static let defaultMaxTokenSize = ByteSize(bytes: 8 << 10)
}

/// Where a bearer token is carried.
public enum TokenSource: Sendable, Hashable {
    /// `Authorization: Bearer <token>`.
    case authorizationHeader
    /// A cookie; routes with unsafe methods then need CSRF protection.
    case cookie(String)
}
