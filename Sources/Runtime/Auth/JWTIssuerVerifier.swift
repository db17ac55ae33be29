import Artifact

/// Verifies tokens of one configured issuer: its pinned algorithms, its keys, its
/// `iss` and `aud`, and the time claims within its leeway.
public struct JWTIssuerVerifier: Sendable {
    /// The issuer's position in the artifact; the route mask's bit `1 + index`.
    public let index: Int
    public let settings: AuthSettings.Issuer
    let algorithms: [JWSAlgorithm]
    let keys: [VerificationKey]

    public init(index: Int, settings: AuthSettings.Issuer, keys: [VerificationKey]) throws(KeyError) {
        self.index = index
        self.settings = settings
        self.algorithms = settings.algorithms.compactMap(JWSAlgorithm.init(rawValue:))
        self.keys = keys
        for algorithm in algorithms where !keys.contains(where: { $0.accepts(algorithm) }) {
            if algorithm.family == .hmac && keys.contains(where: { $0.kind == .hmac }) {
                throw KeyError("the HMAC secret is shorter than \(algorithm.hashBytes) bytes, too weak for \(algorithm.rawValue) (RFC 7518 3.2)")
            }
            throw KeyError("no key can verify \(algorithm.rawValue)")
        }
    }

    /// Checks the signature and claims; on success, the principal the claims describe.
    func verify(_ token: JSONWebToken, now: Int64) -> Result<Principal, AuthenticationFailure> {
        guard let algorithm = JWSAlgorithm(rawValue: token.algorithm), algorithms.contains(algorithm) else { return .failure(.algorithmNotAccepted) }
        let key: VerificationKey
        if let id = token.keyID, keys.contains(where: { $0.id != nil }) {
            guard let named = keys.first(where: { $0.id == id }) else { return .failure(.unknownKey) }
            key = named
        } else {
            // Without a kid, only an unambiguous key is used.
            let candidates = keys.filter { $0.accepts(algorithm) }
            guard candidates.count == 1, let only = candidates.first else { return .failure(.unknownKey) }
            key = only
        }
        guard key.accepts(algorithm) else { return .failure(.algorithmNotAccepted) }
        let valid = token.signingInput.withUnsafeBytes { key.verify(algorithm, input: $0, signature: token.signature) }
        guard valid else { return .failure(.badSignature) }
        if let failure = checkClaims(token.claims, now: now) { return .failure(failure) }
        return principal(token.claims).map(Result.success) ?? .failure(.missingSubject)
    }

    private func checkClaims(_ claims: JSONValue, now: Int64) -> AuthenticationFailure? {
        let seconds = now / 1_000
        let leeway = Int64(settings.leewayMilliseconds) / 1_000
        guard claims["iss"]?.stringValue == settings.issuer else { return .wrongIssuer }
        if !settings.audiences.isEmpty {
            let audiences: [String] = switch claims["aud"] {
            case .string(let one)?: [one]
            case .array(let many)?: many.compactMap(\.stringValue)
            default: []
            }
            guard audiences.contains(where: settings.audiences.contains) else { return .wrongAudience }
        }
        guard let expiry = claims["exp"]?.integerValue else { return .missingExpiry }
        if seconds >= expiry + leeway { return .expired }
        if let notBefore = claims["nbf"]?.integerValue, seconds + leeway < notBefore { return .notYetValid }
        if let issuedAt = claims["iat"]?.integerValue, seconds + leeway < issuedAt { return .issuedInFuture }
        return nil
    }

    /// The subject, roles and scopes from the configured claims, and every scalar
    /// claim as text by dotted path for `principal.claims[...]`.
    func principal(_ claims: JSONValue) -> Principal? {
        guard let subject = claims.value(atPath: settings.subjectClaim)?.stringValue, !subject.isEmpty else { return nil }
        var flat: [String: String] = [:]
        Self.flatten(claims, prefix: "", depth: 0, into: &flat)
        return Principal(id: subject, roles: Self.list(settings.rolesClaim.flatMap { claims.value(atPath: $0) }),
                         scopes: Self.list(settings.scopesClaim.flatMap { claims.value(atPath: $0) }), method: .jwt, claims: flat,
                         issuer: index)
    }

    /// A claim that is an array of strings or one space-separated string (RFC 8693 `scope`).
    static func list(_ value: JSONValue?) -> [String] {
        switch value {
        case .array(let items)?: items.compactMap(\.stringValue)
        case .string(let text)?: text.split(separator: " ").map(String.init)
        default: []
        }
    }

    /// Claims are bounded: a token is at most `maxTokenBytes`, and nesting stops at 4.
    static func flatten(_ value: JSONValue, prefix: String, depth: Int, into flat: inout [String: String]) {
        guard depth < 4, case .object(let fields) = value else { return }
        for (name, member) in fields {
            let path = prefix.isEmpty ? name : prefix + "." + name
            switch member {
            case .string(let text): flat[path] = text
            case .number(let text): flat[path] = text
            case .bool(let flag): flat[path] = flag ? "true" : "false"
            case .object: flatten(member, prefix: path, depth: depth + 1, into: &flat)
            case .null, .array: continue
            }
        }
    }
}
