import Artifact

/// The production authenticator: API keys from the key store, and bearer JWTs from
/// the configured issuers, with verified tokens cached until they expire.
public final class CredentialAuthenticator: Authenticator {
    public let issuers: [JWTIssuerVerifier]
    public let apiKeys: APIKeyStore?
    /// The API key header's lower-case name.
    let apiKeyHeader: String?
    public let cache: TokenCache

    public init(issuers: [JWTIssuerVerifier], apiKeys: APIKeyStore?, apiKeyHeader: String?, cache: TokenCache = TokenCache()) {
        self.issuers = issuers
        self.apiKeys = apiKeys
        self.apiKeyHeader = apiKeyHeader?.lowercased()
        self.cache = cache
    }

    /// Loads every key the artifact's auth settings reference. Any failure is an
    /// error naming the issuer or store, so boot refuses a half-configured gateway.
    public static func load(_ artifact: Artifact, secrets: SecretResolver) throws(KeyError) -> CredentialAuthenticator {
        var issuers: [JWTIssuerVerifier] = []
        for (index, settings) in artifact.auth.issuers.enumerated() {
            do throws(KeyError) {
                let material = try secrets.resolve(settings.keyReference)
                let keys: [VerificationKey] = switch settings.keyKind {
                case .secret: [VerificationKey.hmac(material)]
                case .pem: [try VerificationKey.pem(String(decoding: material, as: UTF8.self))]
                case .jwks: try JSONWebKeySet.keys(from: material)
                }
                issuers.append(try JWTIssuerVerifier(index: index, settings: settings, keys: keys))
            } catch {
                throw KeyError("JWT issuer \(settings.name): \(error.description)")
            }
        }
        var store: APIKeyStore?
        if let config = artifact.auth.apiKeys {
            do throws(KeyError) {
                store = try APIKeyStore(path: try secrets.filePath(config.storeReference), pepper: try secrets.resolve(config.pepperReference))
            } catch {
                throw KeyError("API keys: \(error.description)")
            }
        }
        return CredentialAuthenticator(issuers: issuers, apiKeys: store, apiKeyHeader: artifact.auth.apiKeys?.header)
    }

    /// What a runtime authenticates with: the artifact's issuers and key store, or
    /// nobody when the artifact configures neither.
    public static func forArtifact(_ artifact: Artifact, secrets: SecretResolver) throws(KeyError) -> any Authenticator {
        guard !artifact.auth.issuers.isEmpty || artifact.auth.apiKeys != nil else { return NoAuthenticator() }
        return try load(artifact, secrets: secrets)
    }

    public func authenticate(_ request: RequestHead, mask: UInt32, now: Int64) -> AuthenticationResult {
        if mask & 1 != 0, let apiKeys, let header = apiKeyHeader, let key = request.header(header) {
            return Self.result(apiKeys.authenticate(key, now: now), viaCookie: false)
        }
        guard mask & ~1 != 0, let (token, viaCookie) = token(request, mask: mask) else { return .none }
        return Self.result(verify(token, mask: mask, now: now), viaCookie: viaCookie)
    }

    private func accepts(_ issuer: JWTIssuerVerifier, _ mask: UInt32) -> Bool {
        issuer.index < 31 && mask & (1 << UInt32(issuer.index + 1)) != 0
    }

    private static func result(_ result: Result<Principal, AuthenticationFailure>, viaCookie: Bool) -> AuthenticationResult {
        switch result {
        case .success(var principal):
            // Cached principals are shared: changed (and so copied) only when they must be.
            if principal.viaCookie != viaCookie { principal.viaCookie = viaCookie }
            return .authenticated(principal)
        case .failure(let failure): return .failed(failure.detail)
        }
    }

    /// `Authorization: Bearer` (the scheme is case-insensitive), else the cookie an
    /// accepted issuer names. A slice of the header: no copy until a token must be parsed.
    func token(_ request: RequestHead, mask: UInt32) -> (Substring, Bool)? {
        if let authorization = request.header(.authorization) {
            // By bytes: the scheme is ASCII, and Character operations on the whole
            // header cost grapheme breaking per character.
            let utf8 = authorization.utf8
            if utf8.count >= 7, ASCIICase.equal(utf8.prefix(7), "bearer ".utf8) { return (Substring(utf8.dropFirst(7)).trimmingSpaces(), false) }
        }
        for issuer in issuers where accepts(issuer, mask) {
            if let name = issuer.settings.cookie, let token = request.cookie(name) { return (token[...], true) }
        }
        return nil
    }

    func verify(_ token: Substring, mask: UInt32, now: Int64) -> Result<Principal, AuthenticationFailure> {
        var limit = 0
        for issuer in issuers where accepts(issuer, mask) { limit = max(limit, Int(issuer.settings.maxTokenBytes)) }
        guard token.utf8.count <= limit else { return .failure(.tooLarge) }
        let digest = token.utf8.withContiguousStorageIfAvailable { TokenCache.digest(UnsafeRawBufferPointer($0)) }
            ?? Array(token.utf8).withUnsafeBytes { TokenCache.digest($0) }
        if let principal = cache.lookup(digest, now: now) {
            return issuers.contains { $0.index == principal.issuer && accepts($0, mask) } ? .success(principal) : .failure(.wrongIssuer)
        }
        let accepted = issuers.filter { accepts($0, mask) }
        let decoded: JSONWebToken
        switch JSONWebToken.decode(Array(token.utf8)) {
        case .success(let token): decoded = token
        case .failure(let failure): return .failure(failure)
        }
        let claimed = decoded.claims["iss"]?.stringValue
        guard let issuer = accepted.first(where: { $0.settings.issuer == claimed }) else { return .failure(.wrongIssuer) }
        guard token.utf8.count <= Int(issuer.settings.maxTokenBytes) else { return .failure(.tooLarge) }
        let verified = issuer.verify(decoded, now: now)
        if case .success(let principal) = verified, let expiry = decoded.claims["exp"]?.integerValue {
            let (expires, overflow) = expiry.multipliedReportingOverflow(by: 1_000)
            cache.store(digest, principal, expires: overflow ? .max : expires + Int64(issuer.settings.leewayMilliseconds), now: now)
        }
        return verified
    }
}
