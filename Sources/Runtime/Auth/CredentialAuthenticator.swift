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
        // The key's bytes are read where the head keeps them (no String of a secret made).
        if mask & 1 != 0, let apiKeys, let header = apiKeyHeader, let result = request.withValue(of: header, { apiKeys.authenticate(bytes: $0, now: now) }) {
            return Self.result(result, viaCookie: false)
        }
        guard mask & ~1 != 0 else { return .none }
        // `Authorization: Bearer`, read where the head keeps it; else the cookie an accepted issuer names.
        if let bearer = request.withValue(.authorization, { value in
            Self.bearerToken(value).map { Self.result(verify($0, mask: mask, now: now), viaCookie: false) }
        }), let bearer {
            return bearer
        }
        for issuer in issuers where accepts(issuer, mask) {
            if let name = issuer.settings.cookie, var token = request.cookie(name) {
                return token.withUTF8 { Self.result(verify($0, mask: mask, now: now), viaCookie: true) }
            }
        }
        return .none
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

    /// The token of an `Authorization: Bearer` value (the scheme is case-insensitive),
    /// blanks around it trimmed; nil for another scheme.
    static func bearerToken(_ value: UnsafeBufferPointer<UInt8>) -> UnsafeBufferPointer<UInt8>? {
        let scheme: StaticString = "bearer "
        guard value.count >= 7, scheme.withUTF8Buffer({ ASCIICase.equal(UnsafeBufferPointer(rebasing: value[0..<7]), $0) }) else { return nil }
        var (start, end) = (7, value.count)
        while start < end, value[start] == UInt8(ascii: " ") || value[start] == UInt8(ascii: "\t") { start += 1 }
        while end > start, value[end - 1] == UInt8(ascii: " ") || value[end - 1] == UInt8(ascii: "\t") { end -= 1 }
        return UnsafeBufferPointer(rebasing: value[start..<end])
    }

    /// A token's principal: from the cache by the token's digest, else decoded and
    /// verified by the issuer it names (and cached until it expires).
    func verify(_ token: UnsafeBufferPointer<UInt8>, mask: UInt32, now: Int64) -> Result<Principal, AuthenticationFailure> {
        var limit = 0
        for issuer in issuers where accepts(issuer, mask) { limit = max(limit, Int(issuer.settings.maxTokenBytes)) }
        guard token.count <= limit else { return .failure(.tooLarge) }
        let digest = TokenCache.digest(UnsafeRawBufferPointer(token))
        if let principal = cache.lookup(digest, now: now) {
            return issuers.contains { $0.index == principal.issuer && accepts($0, mask) } ? .success(principal) : .failure(.wrongIssuer)
        }
        let accepted = issuers.filter { accepts($0, mask) }
        let decoded: JSONWebToken
        switch JSONWebToken.decode(Array(token)) {
        case .success(let token): decoded = token
        case .failure(let failure): return .failure(failure)
        }
        let claimed = decoded.claims["iss"]?.stringValue
        guard let issuer = accepted.first(where: { $0.settings.issuer == claimed }) else { return .failure(.wrongIssuer) }
        guard token.count <= Int(issuer.settings.maxTokenBytes) else { return .failure(.tooLarge) }
        let verified = issuer.verify(decoded, now: now)
        if case .success(let principal) = verified, let expiry = decoded.claims["exp"]?.integerValue {
            let (expires, overflow) = expiry.multipliedReportingOverflow(by: 1_000)
            cache.store(digest, principal, expires: overflow ? .max : expires + Int64(issuer.settings.leewayMilliseconds), now: now)
        }
        return verified
    }
}
