/// Checks that need the whole merged spec: references resolve, names are unique,
/// every route makes an auth decision, and the unsafe combinations are refused.
///
/// Checks that need the compiler (expression types, route conflicts beyond exact
/// duplicates, shadowing) belong to the compiler's passes.
struct SpecValidator {
    let spec: Spec
    private var bag = DiagnosticBag()

    init(spec: Spec) {
        self.spec = spec
    }

    func validate() -> [Diagnostic] {
        var validator = self
        validator.checkRoles()
        validator.checkCORS(spec.security.cors)
        for route in spec.routes { validator.check(route) }
        validator.checkDuplicateRoutes()
        validator.checkUnused()
        return validator.bag.diagnostics
    }

    private var roleNames: [String] { spec.roles.map(\.name.value) }
    private var grantedPermissions: Set<String> { Set(spec.roles.flatMap { $0.permissions.map(\.value) }) }

    // MARK: Roles

    private mutating func checkRoles() {
        for role in spec.roles {
            for parent in role.inherits where spec.role(named: parent.value) == nil {
                reportUnknownRole(parent)
            }
        }
        var state: [String: Bool] = [:]  // false: visiting, true: done
        for role in spec.roles { detectCycle(from: role, state: &state, path: []) }
    }

    private mutating func detectCycle(from role: Role, state: inout [String: Bool], path: [Role]) {
        let name = role.name.value
        if state[name] == true { return }
        if state[name] == false {
            let cycle = (path.drop { $0.name.value != name }.map(\.name.value) + [name]).joined(separator: " -> ")
            bag.error(.roleCycle, "roles inherit in a cycle: \(cycle)", at: role.name.location,
                      hint: "remove one `inherits` entry to break the cycle")
            return
        }
        state[name] = false
        for parent in role.inherits {
            if let next = spec.role(named: parent.value) { detectCycle(from: next, state: &state, path: path + [role]) }
        }
        state[name] = true
    }

    private mutating func reportUnknownRole(_ name: Located<String>) {
        bag.error(.unknownRole, "role `\(name.value)` is not defined", at: name.location,
                  hint: Suggestions.hint(for: name.value, in: roleNames, noun: "roles"))
    }

    // MARK: Routes

    private mutating func check(_ route: Route) {
        checkTarget(route)
        checkAccess(route)
        checkAuthenticators(route)
        for condition in route.conditions {
            if case .policy(let name) = condition, spec.policy(named: name.value) == nil {
                bag.error(.unknownPolicy, "policy `\(name.value)` is not defined", at: name.location,
                          hint: Suggestions.hint(for: name.value, in: spec.policies.map(\.name.value), noun: "policies"))
            }
        }
        if case .replaced(let cors) = route.cors { checkCORS(cors) }
    }

    private mutating func checkTarget(_ route: Route) {
        guard case .upstream(let target) = route.target else { return }
        if spec.service(named: target.service.value) == nil {
            bag.error(.unknownService, "service `\(target.service.value)` is not defined", at: target.service.location,
                      hint: Suggestions.hint(for: target.service.value, in: spec.services.map(\.name.value), noun: "services"))
        }
        let parameters = route.path.parameterNames
        for case .parameter(let name, let location) in target.path?.parts ?? [] where !parameters.contains(name) {
            bag.error(.unknownPathParameter, "`{\(name)}` is not a parameter of `\(route.path)`", at: location,
                      hint: parameters.isEmpty ? "the route path has no parameters" : Suggestions.hint(for: name, in: parameters, noun: "parameters"))
        }
    }

    private mutating func checkAccess(_ route: Route) {
        switch route.access {
        case .unspecified:
            bag.error(.missingAuthDecision, "route `\(route.key.value)` makes no auth decision", at: route.key.location,
                      hint: "add `public: true`, `allow: authenticated`, or `allow: [ROLE, ...]`")
        case .restricted(let roles, let permissions, _):
            for role in roles where spec.role(named: role.value) == nil { reportUnknownRole(role) }
            let granted = grantedPermissions
            for permission in permissions where !granted.contains(permission.value) {
                bag.error(.unknownPermission, "no role grants `\(permission.value)`, so no one could call this route", at: permission.location,
                          hint: Suggestions.closest(to: permission.value, in: granted).map { "did you mean `\($0)`?" }
                              ?? "add it to a role's `permissions`")
            }
        case .isPublic, .authenticated:
            break
        }
    }

    private mutating func checkAuthenticators(_ route: Route) {
        let hasJWT = !spec.auth.jwtIssuers.isEmpty || spec.auth.declaresJWT
        let hasKeys = spec.auth.apiKeys != nil || spec.auth.declaresAPIKeys
        for authenticator in route.authenticators ?? [] {
            switch authenticator.value {
            case .anyJWT where !hasJWT:
                bag.error(.noAuthenticator, "route accepts `jwt` but `auth.jwt` defines no issuer", at: authenticator.location,
                          hint: "define an issuer under `auth.jwt`")
            case .apiKey where !hasKeys:
                bag.error(.noAuthenticator, "route accepts `api-key` but `auth.api-keys` is not configured", at: authenticator.location,
                          hint: "configure `auth.api-keys` with a header, store and pepper")
            case .jwt(let issuer) where spec.auth.issuer(named: issuer) == nil:
                bag.error(.unknownIssuer, "`\(issuer)` is not a JWT issuer, `jwt` or `api-key`", at: authenticator.location,
                          hint: Suggestions.hint(for: issuer, in: spec.auth.jwtIssuers.map(\.name.value) + ["jwt", "api-key"], noun: "authenticators"))
            default: break
            }
        }
        if !route.access.isPublic, route.access.location != nil, !hasJWT, !hasKeys {
            bag.error(.noAuthenticator, "route `\(route.key.value)` needs a principal, but the spec defines no way to authenticate one",
                      at: route.key.location, hint: "configure `auth.jwt` or `auth.api-keys`, or make the route `public: true`")
        }
        for limit in route.limits where limit.key == .apiKey {
            let acceptsKeys = route.authenticators.map { $0.contains { $0.value == .apiKey } } ?? hasKeys
            if !acceptsKeys {
                bag.error(.noAuthenticator, "limit counts `per api-key` but the route does not accept API keys", at: limit.location,
                          hint: "add `api-key` to the route's `auth`, or count `per principal`")
            }
        }
    }

    private mutating func checkCORS(_ cors: CORSPolicy?) {
        guard let cors, cors.allowsAnyOrigin, cors.credentials.value else { return }
        let star = cors.origins.first { $0.value == "*" }
        bag.error(.corsWildcardWithCredentials, "CORS allows any origin (`*`) together with `credentials: true`", at: star?.location ?? cors.location,
                  hint: "list the exact origins that may send credentials; browsers refuse `*` with credentials, and reflecting any origin would let every site act as the user",
                  notes: [.init("credentials enabled here", at: cors.credentials.location)])
    }

    /// Exact duplicates only; the compiler's conflict pass finds overlapping patterns.
    private mutating func checkDuplicateRoutes() {
        var seen: [String: Route] = [:]
        for route in spec.routes {
            for method in route.methods?.map(\.rawValue) ?? ["ANY"] {
                let key = "\(route.host?.value ?? "*") \(method) \(route.path)"
                if let first = seen[key] {
                    bag.error(.duplicateRoute, "`\(method) \(route.path)` is already routed by `\(first.key.value)`", at: route.key.location,
                              hint: "merge the two routes, or tell them apart with `host` or `match`",
                              notes: [.init("first routed here", at: first.key.location)])
                } else if route.guards.isEmpty {
                    seen[key] = route
                }
            }
        }
    }

    private mutating func checkUnused() {
        let usedServices = Set(spec.routes.compactMap { route -> String? in
            if case .upstream(let target) = route.target { return target.service.value }
            return nil
        })
        for service in spec.services where !usedServices.contains(service.name.value) {
            bag.warning(.unusedDefinition, "service `\(service.name.value)` is not used by any route", at: service.name.location,
                        hint: "route to it, or remove it")
        }
        let usedPolicies = Set(spec.routes.flatMap { $0.conditions.compactMap { condition -> String? in
            if case .policy(let name) = condition { return name.value }
            return nil
        } })
        for policy in spec.policies where !usedPolicies.contains(policy.name.value) {
            bag.warning(.unusedDefinition, "policy `\(policy.name.value)` is not used by any route", at: policy.name.location,
                        hint: "refer to it with `when: \(policy.name.value)`, or remove it")
        }
    }
}
