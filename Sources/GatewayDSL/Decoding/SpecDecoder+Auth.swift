extension SpecDecoder {
    mutating func decodeAuth(_ node: YAMLNode, into fragment: inout SpecFragment) {
        guard let mapping = expectMapping(node, what: "`auth`", example: "auth:\n  jwt: ...\n  api-keys: ...") else { return }
        let fields = Fields(mapping, allowed: SpecSchema.auth, context: "`auth`", bag: &bag)
        fragment.declaresJWT = fields.has("jwt")
        fragment.declaresAPIKeys = fields.has("api-keys")
        if let node = fields["jwt"] {
            fragment.jwtIssuers = namedEntries(node, what: "issuers").compactMap { decodeIssuer($0.name, $0.node) }
        }
        if let node = fields["api-keys"] { fragment.apiKeys = decodeAPIKeys(node) }
    }

    private mutating func decodeIssuer(_ name: Located<String>, _ node: YAMLNode) -> JWTIssuer? {
        let context = "JWT issuer `\(name.value)`"
        guard let mapping = expectMapping(node, what: context, example: "issuer: https://sso.example\nalgorithms: [RS256]\nkeys: { jwks: file:keys/jwks.json }") else { return nil }
        let fields = Fields(mapping, allowed: SpecSchema.jwtIssuer, context: context, bag: &bag)
        let issuer = required(fields, "issuer", in: context, at: name.location, hint: "add `issuer: https://sso.forex.example`") {
            $0.string($1, what: "`issuer`", example: "https://sso.forex.example")
        }
        let algorithms = fields["algorithms"].map { node in
            list(node, what: "`algorithms`", example: "[RS256]").compactMap { choice($0, what: "an algorithm", as: JWTIssuer.Algorithm.self) }
        } ?? []
        if fields["algorithms"] == nil {
            bag.error(.missingKey, "\(context) has no `algorithms`", at: name.location,
                      hint: "pin the algorithms its keys use, e.g. `algorithms: [RS256]`; tokens never choose their own")
        }
        if fields["algorithms"] != nil, algorithms.isEmpty, case .sequence(let s) = fields["algorithms"], s.items.isEmpty {
            bag.error(.missingKey, "\(context) lists no algorithms", at: s.location, hint: "e.g. `algorithms: [RS256]`")
        }
        let keys = required(fields, "keys", in: context, at: name.location, hint: "add `keys: { jwks: file:keys/sso-jwks.json }`") {
            $0.decodeIssuerKeys($1, context: context)
        }
        guard let issuer, let keys else { return nil }
        checkAlgorithms(algorithms, against: keys)
        var roles = fields["roles"].flatMap { claimPath($0, what: "`roles`") }
        var scopes = fields["scopes"].flatMap { claimPath($0, what: "`scopes`") }
        if fields["roles"] == nil { roles = nil }
        if fields["scopes"] == nil { scopes = nil }
        return JWTIssuer(
            name: name, issuer: issuer,
            audiences: fields["audience"].map { strings($0, what: "`audience`", example: "forex-api") } ?? [],
            algorithms: algorithms, keys: keys,
            leeway: fields["leeway"].flatMap { duration($0, what: "`leeway`", minimum: SpecDuration(milliseconds: 0), maximum: JWTIssuer.maxLeeway) }?.value ?? JWTIssuer.defaultLeeway,
            subjectClaim: fields["subject"].flatMap { claimPath($0, what: "`subject`") } ?? "sub",
            rolesClaim: roles, scopesClaim: scopes,
            source: fields["cookie"].flatMap { string($0, what: "`cookie`", example: "session") }.map { .cookie($0.value) } ?? .authorizationHeader,
            maxTokenSize: fields["max-token-size"].flatMap { size($0, what: "`max-token-size`", maximum: ByteSize(bytes: 64 << 10)) }?.value ?? JWTIssuer.defaultMaxTokenSize,
            location: name.location)
    }

    private mutating func decodeIssuerKeys(_ node: YAMLNode, context: String) -> Located<JWTIssuer.Keys>? {
        guard let mapping = expectMapping(node, what: "`keys`", example: "keys: { jwks: file:keys/sso-jwks.json }") else { return nil }
        let fields = Fields(mapping, allowed: SpecSchema.jwtKeys, context: "`keys` of \(context)", bag: &bag)
        let given = SpecSchema.jwtKeys.filter(fields.has)
        guard given.count == 1, let kind = given.first, let valueNode = fields[kind] else {
            if given.count > 1, let second = fields.keyLocation(given[1]) {
                bag.error(.conflictingKeys, "`keys` takes one of `secret`, `pem` or `jwks`, not several", at: second,
                          hint: "define another issuer for a second key source")
            } else if given.isEmpty && mapping.entries.allSatisfy({ SpecSchema.jwtKeys.contains($0.key.value) }) {
                bag.error(.missingKey, "`keys` names no key source", at: mapping.location,
                          hint: "write `secret: env:NAME` (HMAC), `pem: file:key.pem` or `jwks: file:jwks.json`")
            }
            return nil
        }
        guard let reference = secret(valueNode, what: "`\(kind)`") else { return nil }
        let keys: JWTIssuer.Keys = switch kind {
        case "secret": .secret(reference.value)
        case "pem": .pem(reference.value)
        default: .jwks(reference.value)
        }
        return Located(keys, at: reference.location)
    }

    /// The key pins the algorithm: HMAC secrets serve HS* only, public keys never do,
    /// and one PEM key belongs to one key family.
    private mutating func checkAlgorithms(_ algorithms: [Located<JWTIssuer.Algorithm>], against keys: Located<JWTIssuer.Keys>) {
        for algorithm in algorithms {
            switch keys.value {
            case .secret where !algorithm.value.isSymmetric:
                bag.error(.conflictingKeys, "\(algorithm.value.rawValue) needs a public key, but `keys` gives an HMAC `secret`", at: algorithm.location,
                          hint: "use `pem:` or `jwks:` for \(algorithm.value.rawValue), or an HS* algorithm with `secret:`")
            case .pem, .jwks:
                if algorithm.value.isSymmetric {
                    bag.error(.conflictingKeys, "\(algorithm.value.rawValue) is HMAC and needs `secret`, but `keys` gives a public key", at: algorithm.location,
                              hint: "accepting HS* with a public key lets anyone forge tokens signed with that public key")
                }
            default: break
            }
        }
        if case .pem = keys.value {
            let families = Set(algorithms.map { Self.family($0.value) })
            if families.count > 1, let second = algorithms.dropFirst().first(where: { Self.family($0.value) != Self.family(algorithms[0].value) }) {
                bag.error(.conflictingKeys, "one PEM key cannot serve \(algorithms[0].value.rawValue) and \(second.value.rawValue)", at: second.location,
                          hint: "use a JWKS file for several keys, or one issuer per key")
            }
        }
    }

    private static func family(_ algorithm: JWTIssuer.Algorithm) -> String {
        switch algorithm {
        case .rs256, .rs384, .rs512, .ps256: "RSA"
        case .es256, .es384: "EC"
        case .edDSA: "OKP"
        case .hs256, .hs384, .hs512: "HMAC"
        }
    }

    /// A dotted claim path such as `realm_access.roles`.
    private mutating func claimPath(_ node: YAMLNode, what: String) -> String? {
        guard let text = string(node, what: what, example: "realm_access.roles") else { return nil }
        let parts = text.value.split(separator: ".", omittingEmptySubsequences: false)
        let valid = !parts.isEmpty && parts.allSatisfy { part in
            !part.isEmpty && part.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || "_-:/".contains($0)) }
        }
        guard valid else {
            bag.error(.invalidValue, "\(what) `\(text.value.truncatedForMessage)` is not a claim path", at: text.location,
                      hint: "name a claim, or a nested one with dots: `roles`, `realm_access.roles`")
            return nil
        }
        return text.value
    }

    private mutating func decodeAPIKeys(_ node: YAMLNode) -> APIKeyConfig? {
        guard let mapping = expectMapping(node, what: "`api-keys`", example: "api-keys:\n  header: X-API-Key\n  store: file:keys/api-keys.json\n  pepper: env:API_KEY_PEPPER") else { return nil }
        let fields = Fields(mapping, allowed: SpecSchema.apiKeys, context: "`api-keys`", bag: &bag)
        var header = Located("x-api-key", at: mapping.location)
        if let node = fields["header"], let scalar = scalar(node, what: "`header`", example: "X-API-Key"),
           let name = headerName(scalar, what: "`header`") {
            header = Located(name, at: scalar.location)
        }
        let store = required(fields, "store", in: "`api-keys`", at: mapping.location, hint: "add `store: file:keys/api-keys.json`") {
            $0.secret($1, what: "`store`")
        }
        let pepper = required(fields, "pepper", in: "`api-keys`", at: mapping.location, hint: "add `pepper: env:API_KEY_PEPPER`") {
            $0.secret($1, what: "`pepper`")
        }
        var plans: [APIKeyConfig.Plan] = []
        if let node = fields["plans"] {
            for (name, planNode) in namedEntries(node, what: "plans") {
                guard let scalar = scalar(planNode, what: "plan `\(name.value)`", example: "100/s"),
                      let rate = rate(scalar, text: scalar.value, what: "plan `\(name.value)`") else { continue }
                plans.append(.init(name: name, limit: Located(rate, at: scalar.location)))
            }
        }
        guard let store, let pepper else { return nil }
        return APIKeyConfig(header: header, store: store, pepper: pepper, plans: plans, location: mapping.location)
    }

    /// Decodes a key that must be present, reporting it missing at `location` otherwise.
    mutating func required<T>(
        _ fields: Fields, _ key: String, in context: String, at location: SourceLocation, hint: String,
        _ decode: (inout SpecDecoder, YAMLNode) -> T?
    ) -> T? {
        guard let node = fields[key] else {
            bag.error(.missingKey, "\(context) has no `\(key)`", at: location, hint: hint)
            return nil
        }
        return decode(&self, node)
    }
}
