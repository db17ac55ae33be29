import Artifact

/// What a principal's roles give it, resolved once per decision: the union of their
/// permissions and the strictest of their own limits. Each role name is looked up
/// once, where checking permissions and then limits looked every name up twice.
struct RoleGrants: Sendable {
    var permissions = PermissionBits()
    /// The strictest role limit's index in the artifact's limits.
    var limit: Int?
    var limitRate = Double.infinity

    /// Per role name, its permission bits and its own limit.
    struct Table: Sendable {
        private let roles: NameTable<RoleGrants>

        init(_ artifact: Artifact, granted: [String: PermissionBits], limits: [PreparedLimit]) {
            roles = NameTable(artifact.roles.map { role in
                let limit = role.limit.map { Int($0) }
                return (role.name, RoleGrants(permissions: granted[role.name] ?? PermissionBits(), limit: limit,
                                              limitRate: limit.map { limits[$0].rate } ?? .infinity))
            })
        }

        /// The combined grants of `names`; unknown names grant nothing.
        func resolve(_ names: [String]) -> RoleGrants {
            var combined = RoleGrants()
            for name in names {
                guard let role = roles[name] else { continue }
                combined.permissions.formUnion(role.permissions)
                if role.limit != nil, role.limitRate < combined.limitRate { (combined.limit, combined.limitRate) = (role.limit, role.limitRate) }
            }
            return combined
        }
    }
}
