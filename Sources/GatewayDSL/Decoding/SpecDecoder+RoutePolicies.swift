extension SpecDecoder {
    /// `public: true`, `allow: authenticated`, `allow: [roles]` or `allow: { roles, permissions }`.
    mutating func decodeAccess(_ fields: Fields) -> Access {
        var access = Access.unspecified
        if let node = fields["public"], let flag = bool(node, what: "`public`") {
            if flag.value {
                access = .isPublic(flag.location)
            } else {
                bag.error(.invalidValue, "`public: false` makes no auth decision", at: flag.location,
                          hint: "remove it and say who may call the route with `allow:`")
            }
        }
        guard let node = fields["allow"] else { return access }
        if access.isPublic {
            bag.error(.conflictingKeys, "a route cannot be both `public` and restricted by `allow`", at: fields.keyLocation("allow") ?? node.location,
                      hint: "remove `public: true` or `allow`")
            return access
        }
        if case .scalar(let scalar) = node, scalar.value == "authenticated" {
            return .authenticated(scalar.location)
        }
        if case .mapping(let mapping) = node {
            let allowFields = Fields(mapping, allowed: SpecSchema.allow, context: "`allow`", bag: &bag)
            let roles = allowFields["roles"].map { strings($0, what: "`roles`", example: "[trader]") } ?? []
            let permissions = (allowFields["permissions"].map { strings($0, what: "`permissions`", example: "[orders:write]") } ?? [])
                .filter { checkPermission($0) }
            if roles.isEmpty && permissions.isEmpty {
                bag.error(.missingKey, "`allow` names no roles or permissions", at: mapping.location,
                          hint: "write `roles: [trader]` or `permissions: [orders:write]`")
                return .unspecified
            }
            return .restricted(roles: roles, permissions: permissions, location: mapping.location)
        }
        let roles = strings(node, what: "`allow`", example: "[viewer, trader]")
        if roles.isEmpty {
            bag.error(.missingKey, "`allow` is empty, so no one could call this route", at: node.location,
                      hint: "name the roles, or remove the route")
            return .unspecified
        }
        return .restricted(roles: roles, permissions: [], location: node.location)
    }

    /// `auth: jwt`, `auth: api-key`, `auth: [ISSUER, api-key]`.
    mutating func decodeAuthenticators(_ node: YAMLNode) -> [Located<Authenticator>] {
        strings(node, what: "`auth`", example: "[forex-sso, api-key]").map { item in
            switch item.value {
            case "jwt": Located(Authenticator.anyJWT, at: item.location)
            case "api-key": Located(Authenticator.apiKey, at: item.location)
            default: Located(Authenticator.jwt(issuer: item.value), at: item.location)
            }
        }
    }

    /// A bare name is a policy; anything else is an inline condition. A list means all must hold.
    mutating func decodeConditions(_ node: YAMLNode) -> [Condition] {
        list(node, what: "`when`", example: "[market-open, 'request.header[\"x-region\"] == \"eu\"']").compactMap { item in
            guard let scalar = scalar(item, what: "a `when` condition", example: "market-open") else { return nil }
            if Self.isPolicyName(scalar.value) {
                return .policy(Located(scalar.value, at: scalar.location))
            }
            return expression(scalar).map(Condition.inline)
        }
    }

    static func isPolicyName(_ text: String) -> Bool {
        guard let first = text.first, first.isASCII, first.isLetter, text != "true", text != "false" else { return false }
        return text.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_") }
    }

    /// `5/s per principal`, a list of those, or `{ rate: 5/s, per: principal, on-store-failure: closed }`.
    mutating func decodeLimits(_ node: YAMLNode, isPublic: Bool) -> [RateLimit] {
        let items: [YAMLNode] = if case .sequence(let s) = node { s.items } else { [node] }
        return items.compactMap { item in
            var text: String
            var perText: String?
            var onStoreFailure: RateLimit.StoreFailure?
            var at: YAMLScalar
            if case .mapping(let mapping) = item {
                let fields = Fields(mapping, allowed: SpecSchema.limit, context: "`limit`", bag: &bag)
                guard let rateNode = fields["rate"], let scalar = scalar(rateNode, what: "`rate`", example: "5/s") else {
                    if fields["rate"] == nil { bag.error(.missingKey, "`limit` has no `rate`", at: mapping.location, hint: "add `rate: 5/s`") }
                    return nil
                }
                text = scalar.value
                at = scalar
                perText = fields["per"].flatMap { string($0, what: "`per`", example: "principal") }?.value
                onStoreFailure = fields["on-store-failure"].flatMap { choice($0, what: "`on-store-failure`", as: RateLimit.StoreFailure.self) }?.value
            } else {
                guard let scalar = scalar(item, what: "`limit`", example: "5/s per principal") else { return nil }
                at = scalar
                text = scalar.value
                if let range = text.range(of: " per ") {
                    perText = String(text[range.upperBound...]).trimmingCharacters(in: " ")
                    text = String(text[..<range.lowerBound])
                }
            }
            guard let rate = rate(at, text: text, what: "`limit`", written: at.value) else { return nil }
            let key: RateLimit.Key
            if let perText {
                guard let parsed = RateLimit.Key(rawValue: perText) else {
                    let options = RateLimit.Key.allCases.map(\.rawValue)
                    bag.error(.invalidValue, "a limit cannot count per `\(perText.truncatedForMessage)`", at: at.location,
                              hint: Suggestions.closest(to: perText, in: options).map { "did you mean `\($0)`?" } ?? "count per \(options.joined(separator: ", "))")
                    return nil
                }
                key = parsed
            } else {
                key = isPublic ? .ip : .principal
            }
            if isPublic && (key == .principal || key == .apiKey) {
                bag.error(.conflictingKeys, "a public route has no principal to count `per \(key.rawValue)`", at: at.location,
                          hint: "count public traffic `per ip` or `per route`")
                return nil
            }
            return RateLimit(rate: rate, key: key, location: at.location, onStoreFailure: onStoreFailure)
        }
    }

    /// `headers: { request: { set, remove }, response: { set, remove } }`.
    mutating func decodeRouteHeaders(_ node: YAMLNode) -> (HeaderEdits, HeaderEdits) {
        guard let mapping = expectMapping(node, what: "`headers`", example: "headers:\n  request: { set: { X-Desk: fx } }") else { return (.init(), .init()) }
        let fields = Fields(mapping, allowed: SpecSchema.routeHeaders, context: "route `headers`", bag: &bag)
        return (fields["request"].map { headerEdits($0, upstream: true) } ?? .init(),
                fields["response"].map { headerEdits($0, upstream: false) } ?? .init())
    }

    /// Headers that carry credentials; a literal value for one is an inline secret.
    static let credentialHeaders: Set<String> = ["authorization", "proxy-authorization", "cookie", "set-cookie", "x-api-key"]

    private mutating func headerEdits(_ node: YAMLNode, upstream: Bool) -> HeaderEdits {
        guard let mapping = expectMapping(node, what: "header edits", example: "set: { X-Desk: fx }\nremove: [X-Debug]") else { return .init() }
        let fields = Fields(mapping, allowed: SpecSchema.headerEdits, context: "header edits", bag: &bag)
        var edits = HeaderEdits()
        if let node = fields["set"], let entries = expectMapping(node, what: "`set`", example: "set: { X-Desk: fx }") {
            for entry in entries.entries {
                guard let name = headerName(entry.key, what: "header"), let value = headerValue(entry.value, what: "header `\(entry.key.value)`") else { continue }
                if Self.credentialHeaders.contains(name) {
                    bag.error(.inlineSecret, "`\(entry.key.value)` carries credentials and cannot be set to a literal value (the value is not shown)",
                              at: entry.value.location, hint: "backends should trust the gateway's identity headers (X-User-Id, X-Roles) instead")
                    continue
                }
                edits.setHeaders.append((name, value))
            }
        }
        if let node = fields["remove"] {
            for item in list(node, what: "`remove`", example: "[X-Debug]") {
                guard let scalar = scalar(item, what: "a header name", example: "X-Debug"), let name = headerName(scalar, what: "header") else { continue }
                edits.removeHeaders.append(name)
            }
        }
        return edits
    }

    /// `false` turns a setting off for a route, `true` keeps the gateway-wide one, a mapping replaces it.
    mutating func override<T>(_ node: YAMLNode, what: String, _ decode: (inout SpecDecoder, YAMLNode) -> T?) -> Override<T> {
        if case .scalar(let scalar) = node, scalar.style == .plain {
            if scalar.value == "false" { return .disabled }
            if scalar.value == "true" { return .inherit }
        }
        if case .mapping = node { return decode(&self, node).map(Override.replaced) ?? .inherit }
        bag.error(.wrongType, "\(what) on a route must be `true`, `false` or a mapping", at: node.location,
                  hint: "`false` turns it off for this route; a mapping replaces the gateway-wide setting")
        return .inherit
    }

    mutating func decodeMediaTypes(_ node: YAMLNode) -> [Located<String>] {
        strings(node, what: "`accepts`", example: "[application/json]").filter { type in
            let parts = type.value.split(separator: "/")
            let token = { (part: Substring) in !part.isEmpty && part.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || "!#$&-^_.+".contains($0)) } }
            guard parts.count == 2, token(parts[0]), token(parts[1]) else {
                bag.error(.invalidValue, "`\(type.value.truncatedForMessage)` is not a media type", at: type.location,
                          hint: "write `type/subtype`, such as `application/json`")
                return false
            }
            return true
        }
    }
}

extension String {
    func trimmingCharacters(in set: String) -> String {
        var text = Substring(self)
        while let first = text.first, set.contains(first) { text.removeFirst() }
        while let last = text.last, set.contains(last) { text.removeLast() }
        return String(text)
    }
}
