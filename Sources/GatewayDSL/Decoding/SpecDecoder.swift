/// Decodes the located YAML tree of one file into a `SpecFragment`, reporting every
/// problem it meets and carrying on, so a run shows all of a file's errors at once.
struct SpecDecoder {
    var bag = DiagnosticBag()

    /// One file's contribution to the spec; `SpecLoader` merges the fragments.
    mutating func decodeFile(_ root: YAMLNode) -> SpecFragment {
        var fragment = SpecFragment()
        guard let mapping = expectMapping(root, what: "a spec file", example: "routes:\n  GET /healthz: ...") else {
            return fragment
        }
        if mapping.entries.isEmpty {
            bag.error(.emptyFile, "the file holds an empty mapping", at: mapping.location,
                      hint: "add `services:`, `routes:` or another section, or delete the file")
        }
        let fields = Fields(mapping, allowed: SpecSchema.topLevel, context: "the spec file", bag: &bag)
        if let node = fields["gateway"], let name = string(node, what: "`gateway`") {
            fragment.name = name
        }
        if let node = fields["defaults"] { fragment.defaults = decodeDefaults(node) }
        if let node = fields["services"] { fragment.services = namedEntries(node, what: "services").compactMap { decodeService($0.name, $0.node) } }
        if let node = fields["auth"] { decodeAuth(node, into: &fragment) }
        if let node = fields["roles"] { fragment.roles = namedEntries(node, what: "roles").compactMap { decodeRole($0.name, $0.node) } }
        if let node = fields["policies"] { fragment.policies = namedEntries(node, what: "policies").compactMap { decodePolicy($0.name, $0.node) } }
        if let node = fields["security"] { decodeSecurity(node, into: &fragment) }
        if let node = fields["responses"] { fragment.responses = decodeResponses(node) }
        if let node = fields["routes"] {
            fragment.routes = routeEntries(node).compactMap { decodeRoute(key: $0.key, node: $0.value) }
        }
        scanForInlineSecrets(root)
        return fragment
    }

    /// The entries of a `name: definition` mapping, each name checked.
    mutating func namedEntries(_ node: YAMLNode, what: String) -> [(name: Located<String>, node: YAMLNode)] {
        guard let mapping = expectMapping(node, what: "`\(what)`", example: "\(what):\n  NAME: ...") else { return [] }
        return mapping.entries.compactMap { entry in
            guard checkName(entry.key, what: String(what.dropLast())) else { return nil }
            return (Located(entry.key.value, at: entry.key.location), entry.value)
        }
    }

    /// Route keys are checked by the route decoder, which knows their grammar.
    mutating func routeEntries(_ node: YAMLNode) -> [YAMLMapping.Entry] {
        guard let mapping = expectMapping(node, what: "`routes`", example: "routes:\n  GET /healthz: ...") else { return [] }
        return mapping.entries
    }

    /// Names of services, roles, policies and issuers: `[a-z][a-z0-9-]*` style, so
    /// they read the same in specs, metrics labels and the artifact.
    @discardableResult
    mutating func checkName(_ key: YAMLScalar, what: String) -> Bool {
        let name = key.value
        let valid = name.first.map { $0.isASCII && $0.isLetter } ?? false
            && name.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_") }
            && name.count <= 64
        if !valid {
            bag.error(.invalidValue, "\(what) name `\(name.truncatedForMessage)` is not a valid name", at: key.location,
                      hint: "names start with a letter and use letters, digits, `-` and `_` (at most 64 characters)")
        }
        return valid
    }
}

/// What one file defines; singletons are optional, named things are lists.
struct SpecFragment {
    var name: Located<String>?
    var defaults: (Defaults, SourceLocation)?
    var services: [Service] = []
    var jwtIssuers: [JWTIssuer] = []
    var apiKeys: APIKeyConfig?
    var roles: [Role] = []
    var policies: [Policy] = []
    var cors: CORSPolicy?
    var csrf: CSRFPolicy?
    var headers: SecurityHeaders?
    var responses: (ResponseFormat, SourceLocation)?
    var routes: [Route] = []
    /// `auth.jwt` or `auth.api-keys` was written, even if it did not decode; later
    /// checks then do not pile "no authenticator" errors on top of the real one.
    var declaresJWT = false
    var declaresAPIKeys = false
}
