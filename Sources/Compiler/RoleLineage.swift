import GatewayDSL

/// Roles with inheritance flattened: what each grants, and which roles satisfy
/// `allow: [role]` (itself and every role inheriting it). The compiler's resolve pass
/// and the OpenAPI generator read roles the same way through this.
struct RoleLineage {
    /// Role name to its permissions, inherited ones included, sorted.
    private(set) var effectivePermissions: [String: [String]] = [:]
    /// Role name to the roles that satisfy `allow: [it]`, sorted.
    private(set) var satisfyingRoles: [String: [String]] = [:]

    init(_ roles: [Role]) {
        let byName = Dictionary(roles.map { ($0.name.value, $0) }, uniquingKeysWith: { first, _ in first })
        func ancestors(_ name: String, _ seen: inout Set<String>) {
            guard seen.insert(name).inserted, let role = byName[name] else { return }
            for parent in role.inherits { ancestors(parent.value, &seen) }
        }
        for role in roles {
            var lineage = Set<String>()
            ancestors(role.name.value, &lineage)
            effectivePermissions[role.name.value] = Set(lineage.flatMap { byName[$0]?.permissions.map(\.value) ?? [] }).sorted()
            for ancestor in lineage { satisfyingRoles[ancestor, default: []].append(role.name.value) }
        }
        for key in satisfyingRoles.keys { satisfyingRoles[key]?.sort() }
    }

    /// Roles whose holders pass `allow: { roles, permissions }`: one of the roles (or
    /// a role inheriting it) and, when permissions are listed, all of them.
    func rolesAllowed(roles: [String], permissions: [String]) -> [String] {
        var allowed = Set(effectivePermissions.keys)
        if !roles.isEmpty { allowed.formIntersection(roles.flatMap { satisfyingRoles[$0] ?? [$0] }) }
        if !permissions.isEmpty { allowed = allowed.filter { Set(effectivePermissions[$0] ?? []).isSuperset(of: permissions) } }
        return allowed.sorted()
    }
}
