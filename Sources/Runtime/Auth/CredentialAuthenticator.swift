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

    public func authenticate(_ request: RequestHead, mask: UInt32, now: Int64) -> AuthenticationResult {
        if mask & 1 != 0, let apiKeys, let header = apiKeyHeader, let key = request.header(header) {
            return Self.result(apiKeys.authenticate(key, now: now), viaCookie: false)
        }
        let accepted = issuers.filter { $0.index < 31 && mask & (1 << UInt32($0.index + 1)) != 0 }
        guard !accepted.isEmpty, let (token, viaCookie) = Self.token(request, accepted) else { return .none }
        return Self.result(verify(token, accepted, now: now), viaCookie: viaCookie)
    }

    private static func result(_ result: Result<Principal, AuthenticationFailure>, viaCookie: Bool) -> AuthenticationResult {
        switch result {
        case .success(var principal):
            principal.viaCookie = viaCookie
            return .authenticated(principal)
        case .failure(let failure): return .failed(failure.detail)
        }
    }

    /// `Authorization: Bearer`, else the cookie an accepted issuer names.
    static func token(_ request: RequestHead, _ accepted: [JWTIssuerVerifier]) -> (String, Bool)? {
        if let authorization = request.header("authorization") {
            let parts = authorization.split(separator: " ", maxSplits: 1, omittingEmptySubsequences: true)
            if parts.count == 2, parts[0].lowercased() == "bearer" { return (String(parts[1].trimmingSpaces()), false) }
        }
        for issuer in accepted {
            if let name = issuer.settings.cookie, let token = request.cookie(name) { return (token, true) }
        }
        return nil
    }

    func verify(_ token: String, _ accepted: [JWTIssuerVerifier], now: Int64) -> Result<Principal, AuthenticationFailure> {
        let limit = accepted.map { Int($0.settings.maxTokenBytes) }.max() ?? 0
        guard token.utf8.count <= limit else { return .failure(.tooLarge) }
        var text = token
        let digest = text.withUTF8 { TokenCache.digest(UnsafeRawBufferPointer($0)) }
        if let principal = cache.lookup(digest, now: now) {
            return accepted.contains { $0.index == principal.issuer } ? .success(principal) : .failure(.wrongIssuer)
        }
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
