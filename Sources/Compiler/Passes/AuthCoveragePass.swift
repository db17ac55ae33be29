import GatewayDSL

/// Every route makes an auth decision (the validator guarantees it), and a public
/// route that never identifies its callers cannot make decisions about them.
struct AuthCoveragePass: CompilerPass {
    let name = "check-auth-coverage"

    func run(_ context: inout CompilationContext) {
        for (index, route) in context.spec.routes.enumerated() {
            if case .unspecified = route.access {
                context.bag.error(.missingAuthDecision, "route `\(route.key.value)` makes no auth decision", at: route.key.location,
                                  hint: "add `public: true`, `allow: authenticated`, or `allow: [ROLE, ...]`")
            }
            guard route.access.isPublic, route.authenticators == nil else { continue }
            for (condition, label, start) in context.routeConditions[index] where condition.readsPrincipal {
                context.bag.error(.principalOnPublicRoute, "public route `\(route.key.value)` has no principal, but \(label) reads one",
                                  at: start,
                                  hint: "add `auth: [...]` to identify callers when they present credentials, or drop the principal check")
            }
        }
    }
}
