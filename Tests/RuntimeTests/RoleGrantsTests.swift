import Artifact
import Compiler
import GatewayDSL
import Testing
@testable import Runtime

/// Authorization reads a principal's roles once per decision: which role names it
/// holds (as bits, or by name past 64 names), the permissions they grant and the
/// strictest of their limits.
@Suite("Role grants")
struct RoleGrantsTests {
    struct Fixed: Runtime.Authenticator {
        let principal: Principal
        func authenticate(_ request: RequestHead, mask: UInt32, now: Int64) -> AuthenticationResult { .authenticated(principal) }
    }

    /// A spec with `roles` declared (YAML lines) and routes `GET /r` allowing `allow`
    /// and `GET /p` needing `permission`.
    static func artifact(roles: String, allow: [String], permission: String = "p:read") throws -> Artifact {
        let yaml = """
            gateway: t
            auth:
              jwt:
                sso: { issuer: https://sso.example, algorithms: [RS256], keys: { jwks: file:jwks.json } }
            roles:
            \(roles)
            services:
              s: { endpoints: ["http://s:1"] }
            routes:
              GET /r:
                to: s /r
                allow: [\(allow.joined(separator: ", "))]
              GET /p:
                to: s /p
                allow: { permissions: [\(permission)] }
            """
        let load = SpecLoader().load(sources: [("spec.yaml", Array(yaml.utf8))])
        let spec = try #require(load.spec, "\(load.diagnostics.map(\.message))")
        let result = Compiler().compile(spec)
        return try #require(result.artifact, "\(result.diagnostics.map(\.message))")
    }

    static func status(_ artifact: Artifact, _ path: String, roles: [String]) -> Int {
        let engine = Engine(artifact: artifact, authenticator: Fixed(principal: Principal(id: "u-1", roles: roles, method: .jwt)))
        switch engine.decide(RequestHead(method: "GET", target: path, headers: [("host", "t")])) {
        case .forward: return 200
        case .respond(let response, _): return response.status
        }
    }

    static let threeRoles = """
          viewer: { permissions: [p:read] }
          trader: { inherits: [viewer], permissions: [orders:write] }
          auditor: { permissions: [audit:read] }
        """

    @Test("one of the allowed roles admits; a role outside the list, or none, is refused")
    func anyOf() throws {
        let artifact = try Self.artifact(roles: Self.threeRoles, allow: ["auditor"])
        #expect(Self.status(artifact, "/r", roles: ["auditor"]) == 200)
        #expect(Self.status(artifact, "/r", roles: ["viewer", "auditor"]) == 200)
        #expect(Self.status(artifact, "/r", roles: ["viewer"]) == 403)
        #expect(Self.status(artifact, "/r", roles: ["unknown-role"]) == 403)
        #expect(Self.status(artifact, "/r", roles: []) == 403)
    }

    @Test("permissions come from every role the principal holds, inheritance included")
    func permissions() throws {
        let artifact = try Self.artifact(roles: Self.threeRoles, allow: ["auditor"])
        #expect(Self.status(artifact, "/p", roles: ["trader"]) == 200)
        #expect(Self.status(artifact, "/p", roles: ["auditor", "viewer"]) == 200)
        #expect(Self.status(artifact, "/p", roles: ["auditor"]) == 403)
    }

    @Test("past 64 role names, roles are matched by name and decide the same")
    func manyRoles() throws {
        let roles = (0..<70).map { "      role-\($0): { permissions: [p\($0):read] }" }.joined(separator: "\n")
        let artifact = try Self.artifact(roles: roles, allow: ["role-3", "role-68"], permission: "p69:read")
        let table = RoleGrants.Table(artifact, granted: PermissionBits.tables(artifact).granted, limits: artifact.limits.map(PreparedLimit.init))
        #expect(table.required.allSatisfy { $0 == nil })
        #expect(Self.status(artifact, "/r", roles: ["role-68"]) == 200)
        #expect(Self.status(artifact, "/r", roles: ["role-3", "role-1"]) == 200)
        #expect(Self.status(artifact, "/r", roles: ["role-67"]) == 403)
        #expect(Self.status(artifact, "/p", roles: ["role-69"]) == 200)
        #expect(Self.status(artifact, "/p", roles: ["role-68"]) == 403)
    }

    @Test("with few role names each has a bit, and an allow list is their OR")
    func bits() throws {
        let artifact = try Self.artifact(roles: Self.threeRoles, allow: ["auditor", "trader"])
        let table = RoleGrants.Table(artifact, granted: PermissionBits.tables(artifact).granted, limits: artifact.limits.map(PreparedLimit.init))
        let required = try #require(table.required.compactMap { $0 }.first)
        #expect(required.nonzeroBitCount == 2)
        #expect(table.resolve(["trader"]).names & required != 0)
        #expect(table.resolve(["viewer"]).names & required == 0)
    }
}
