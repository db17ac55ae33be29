extension SpecDecoder {
    mutating func decodeRole(_ name: Located<String>, _ node: YAMLNode) -> Role? {
        let context = "role `\(name.value)`"
        var role = Role(name: name, permissions: [], inherits: [], limit: nil, description: nil, location: name.location)
        if case .scalar(let scalar) = node, scalar.isNull { return role }
        guard let mapping = expectMapping(node, what: context, example: "trader: { permissions: [orders:write], limit: 50/s }") else { return nil }
        let fields = Fields(mapping, allowed: SpecSchema.role, context: context, bag: &bag)
        if let node = fields["permissions"] {
            role.permissions = strings(node, what: "`permissions`", example: "[orders:read, orders:write]").filter { checkPermission($0) }
        }
        if let node = fields["inherits"] {
            role.inherits = strings(node, what: "`inherits`", example: "[viewer]")
        }
        if let node = fields["limit"], let scalar = scalar(node, what: "`limit`", example: "50/s burst 100") {
            if scalar.value.contains(" per ") {
                bag.error(.invalidValue, "a role's `limit` is always per principal; `per` is for route limits", at: scalar.location,
                          hint: "write only the rate, e.g. `50/s burst 100`")
            } else if let rate = rate(scalar, text: scalar.value, what: "`limit`") {
                role.limit = Located(rate, at: scalar.location)
            }
        }
        role.description = fields["description"].flatMap { string($0, what: "`description`") }?.value
        return role
    }

    /// Permissions read `resource:action`, e.g. `orders:write`.
    mutating func checkPermission(_ permission: Located<String>) -> Bool {
        let valid = !permission.value.isEmpty && permission.value.count <= 128
            && permission.value.allSatisfy { $0.isASCII && ($0.isLowercase || $0.isNumber || ":._-".contains($0)) }
        if !valid {
            bag.error(.invalidValue, "permission `\(permission.value.truncatedForMessage)` is not a valid permission name", at: permission.location,
                      hint: "permissions are lower-case `resource:action`, such as `orders:write`")
        }
        return valid
    }

    mutating func decodePolicy(_ name: Located<String>, _ node: YAMLNode) -> Policy? {
        let context = "policy `\(name.value)`"
        var conditionNode = node
        var description: String?
        if case .mapping(let mapping) = node {
            let fields = Fields(mapping, allowed: SpecSchema.policy, context: context, bag: &bag)
            description = fields["description"].flatMap { string($0, what: "`description`") }?.value
            guard let when = fields["when"] else {
                bag.error(.missingKey, "\(context) has no `when`", at: name.location, hint: "add `when: <condition>`")
                return nil
            }
            conditionNode = when
        }
        guard let scalar = scalar(conditionNode, what: context, example: "'time.hour >= 8 && time.hour < 18'") else { return nil }
        guard let condition = expression(scalar) else { return nil }
        return Policy(name: name, condition: condition, description: description, location: name.location)
    }

    /// Parses a condition, reporting a syntax error at its exact character.
    mutating func expression(_ scalar: YAMLScalar) -> Expression? {
        switch ExpressionParser.parse(scalar) {
        case .success(let expression): return expression
        case .failure(let failure):
            bag.error(.expressionSyntax, failure.message, at: failure.location, hint: failure.hint)
            return nil
        }
    }
}
