import GatewayDSL

/// Type-checks every policy and inline condition, and checks that the path
/// parameters a condition reads exist on each route that uses it.
struct TypeCheckPass: CompilerPass {
    let name = "type-check"

    func run(_ context: inout CompilationContext) {
        var checker = ConditionTypeChecker()
        for policy in context.spec.policies {
            if let typed = checker.check(policy.condition) { context.policyConditions[policy.name.value] = (typed, policy.condition.start) }
        }
        for route in context.spec.routes {
            var conditions: [(TypedCondition, String, SourceLocation)] = []
            for condition in route.conditions {
                switch condition {
                case .policy(let name):
                    guard let (typed, start) = context.policyConditions[name.value] else { continue }
                    checkParameters(typed, route: route, usedAt: name.location, &context)
                    conditions.append((typed, "policy \(name.value)", start))
                case .inline(let expression):
                    guard let typed = checker.check(expression) else { continue }
                    checkParameters(typed, route: route, usedAt: nil, &context)
                    conditions.append((typed, "condition at \(expression.start.file):\(expression.start.line)", expression.start))
                }
            }
            context.routeConditions.append(conditions)
        }
        context.bag.append(contentsOf: checker.bag.diagnostics)
    }

    private func checkParameters(_ condition: TypedCondition, route: Route, usedAt: SourceLocation?, _ context: inout CompilationContext) {
        let names = route.path.parameterNames
        for (name, location) in condition.parameters where !names.contains(name) {
            context.bag.error(.unknownParameterInCondition, "`request.params[\"\(name)\"]` is not a parameter of route `\(route.key.value)`",
                              at: location, hint: names.isEmpty ? "the route has no path parameters" : Suggestions.hint(for: name, in: names, noun: "parameters"),
                              notes: usedAt.map { [.init("used by this route", at: $0)] } ?? [])
        }
    }
}
