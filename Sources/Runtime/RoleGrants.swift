import Artifact

/// What a principal's roles give it, resolved once per decision: which of the
/// artifact's role names it holds (as bits), the union of their permissions, and the
/// strictest of their own limits. Each role name is looked up once per decision.
struct RoleGrants: Sendable {
    /// One bit per role name the artifact knows (declared, or named by a route's
    /// `allow`), so "one of these roles" is an AND.
    var names: UInt64 = 0
    var permissions = PermissionBits()
    /// The strictest role limit's index in the artifact's limits.
    var limit: Int?
    var limitRate = Double.infinity

    /// Per role name, its bit, permission bits and own limit.
    struct Table: Sendable {
        private let roles: NameTable<RoleGrants>
        /// Per constant index, the bits of a `REQUIRE_ROLES` operand's names; nil for
        /// other constants, and for all when more than 64 names would need bits.
        let required: [UInt64?]

        init(_ artifact: Artifact, granted: [String: PermissionBits], limits: [PreparedLimit]) {
            var names = artifact.roles.map(\.name)
            var requiredNames: [Int: [String]] = [:]
            for instruction in artifact.code where instruction.opcode == .requireRoles {
                guard case .stringSet(let allowed) = artifact.constants[Int(instruction.a)] else { continue }
                requiredNames[Int(instruction.a)] = allowed
                for name in allowed where !names.contains(name) { names.append(name) }
            }
            let bits = names.count <= 64
            func bit(_ name: String) -> UInt64 {
                guard bits, let index = names.firstIndex(of: name) else { return 0 }
                return 1 << UInt64(index)
            }
            var entries = artifact.roles.map { role in
                let limit = role.limit.map { Int($0) }
                return (name: role.name, value: RoleGrants(names: bit(role.name), permissions: granted[role.name] ?? PermissionBits(), limit: limit,
                                                           limitRate: limit.map { limits[$0].rate } ?? .infinity))
            }
            // Names only a route's `allow` mentions still get their bit (they grant nothing else).
            for name in names where !artifact.roles.contains(where: { $0.name == name }) { entries.append((name, RoleGrants(names: bit(name)))) }
            roles = NameTable(entries)
            var required = [UInt64?](repeating: nil, count: artifact.constants.count)
            if bits { for (index, allowed) in requiredNames { required[index] = allowed.reduce(0) { $0 | bit($1) } } }
            self.required = required
        }

        /// The combined grants of `names`; unknown names grant nothing.
        func resolve(_ names: [String]) -> RoleGrants {
            var combined = RoleGrants()
            roles.withValues { grants in
                names.withUnsafeBufferPointer { names in
                    for index in names.indices {
                        guard let position = roles.position(of: names[index]) else { continue }
                        combined.names |= grants[position].names
                        combined.permissions.formUnion(grants[position].permissions)
                        if grants[position].limit != nil, grants[position].limitRate < combined.limitRate {
                            (combined.limit, combined.limitRate) = (grants[position].limit, grants[position].limitRate)
                        }
                    }
                }
            }
            return combined
        }
    }
}
