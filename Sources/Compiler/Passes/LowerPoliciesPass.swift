import Artifact
import GatewayDSL

/// Compiles each route's policies into one program, in the order the engine applies
/// them: authenticate, authorize, conditions, rate limits, request checks, header
/// edits, rewrite, and the decision (proxy or respond).
struct LowerPoliciesPass: CompilerPass {
    let name = "lower-policies"

    func run(_ context: inout CompilationContext) {
        for (index, route) in context.spec.routes.enumerated() {
            let start = context.program.position
            lower(route, index: index, &context)
            context.routeEntries.append(entry(for: route, index: index, start: start, &context))
        }
    }

    private func lower(_ route: Route, index: Int, _ context: inout CompilationContext) {
        let at = route.key.location
        lowerAuthentication(route, &context)
        lowerAuthorization(route, &context)
        for (condition, label, start) in context.routeConditions[index] {
            let folded = ConstantFolding.fold(condition)
            if case .constant(.boolean(let value), _) = folded {
                context.bag.warning(.constantCondition, "\(label) is always \(value) on route `\(route.key.value)`", at: start,
                                    hint: value ? "remove it; it never denies" : "the route can never be called; remove it or fix the condition")
                if !value {
                    context.program.emit(.deny, 403, context.program.string("\(label) is never satisfied"), at: start)
                    return
                }
                continue
            }
            context.program.lower(folded, parameters: route.path.parameterNames)
            context.program.emit(.assert, context.program.string(label), at: start)
        }
        if !route.access.isPublic, hasPrincipalLimits(context) { context.program.emit(.principalRateLimit, at: at) }
        for (limit, source) in zip(context.routeLimits[index], route.limits) {
            context.program.emit(.rateLimit, limit, at: source.location)
        }
        if let csrf = context.routeCSRF[index], (route.methods ?? HTTPMethod.allCases).contains(where: { !$0.isSafe }) {
            context.program.emit(.checkCSRF, csrf, at: at)
        }
        if let first = route.accepts.first {
            context.program.emit(.checkContentType, context.program.constant(.stringSet(Set(route.accepts.map(\.value)).sorted())), at: first.location)
        }
        if let limit = route.bodyLimit {
            context.program.emit(.checkBodySize, UInt32(clamping: limit.value.bytes), at: limit.location)
        }
        lowerHeaderEdits(route, &context)
        lowerDecision(route, index: index, &context)
    }

    private func hasPrincipalLimits(_ context: CompilationContext) -> Bool {
        !context.roleLimits.isEmpty || !context.planLimits.isEmpty
    }

    private func lowerAuthentication(_ route: Route, _ context: inout CompilationContext) {
        var mask: UInt32 = 0
        let accepted = route.authenticators?.map(\.value)
        if route.access.isPublic && accepted == nil { return }
        let all = accepted == nil
        if all || accepted?.contains(.apiKey) == true, context.spec.auth.apiKeys != nil { mask |= 1 }
        for (name, issuer) in context.issuerIndex where all || accepted?.contains(.anyJWT) == true || accepted?.contains(.jwt(issuer: name)) == true {
            mask |= 1 << UInt32(issuer + 1)
        }
        guard mask != 0 else { return }
        let at = route.authenticators?.first?.location ?? route.access.location ?? route.key.location
        context.program.emit(.authenticate, mask, route.access.isPublic ? 0 : 1, at: at)
    }

    private func lowerAuthorization(_ route: Route, _ context: inout CompilationContext) {
        guard case .restricted(let roles, let permissions, let at) = route.access else { return }
        if !roles.isEmpty {
            let satisfying = Set(roles.flatMap { context.satisfyingRoles[$0.value] ?? [$0.value] }).sorted()
            context.program.emit(.requireRoles, context.program.constant(.stringSet(satisfying)), at: roles[0].location)
        }
        if !permissions.isEmpty {
            context.program.emit(.requirePermissions, context.program.constant(.stringSet(Set(permissions.map(\.value)).sorted())),
                                 at: permissions.first?.location ?? at)
        }
    }

    private func lowerHeaderEdits(_ route: Route, _ context: inout CompilationContext) {
        let at = route.key.location
        for name in route.requestHeaders.removeHeaders { context.program.emit(.removeRequestHeader, context.program.string(name), at: at) }
        for (name, value) in route.requestHeaders.setHeaders {
            context.program.emit(.setRequestHeader, context.program.string(name), context.program.string(value), at: at)
        }
        for name in route.responseHeaders.removeHeaders { context.program.emit(.removeResponseHeader, context.program.string(name), at: at) }
        for (name, value) in route.responseHeaders.setHeaders {
            context.program.emit(.setResponseHeader, context.program.string(name), context.program.string(value), at: at)
        }
    }

    private func lowerDecision(_ route: Route, index: Int, _ context: inout CompilationContext) {
        switch route.target {
        case .fixed(let response):
            context.fixedResponses.append(Self.fixed(response))
            context.program.emit(.respond, UInt32(context.fixedResponses.count - 1), at: response.location)
        case .upstream(let target):
            if target.path != nil { context.program.emit(.rewritePath, UInt32(index), at: target.location) }
            let service = context.serviceIndex[target.service.value] ?? 0
            context.program.emit(.proxy, UInt32(service), UInt32(clamping: timeout(route, target, context)), at: target.location)
        }
    }

    private func timeout(_ route: Route, _ target: UpstreamTarget, _ context: CompilationContext) -> Int64 {
        route.timeout?.value.milliseconds ?? context.spec.service(named: target.service.value)?.timeout?.value.milliseconds
            ?? context.spec.defaults.timeout?.value.milliseconds ?? Defaults.defaultTimeout.milliseconds
    }

    static func fixed(_ response: FixedResponse) -> GatewaySettings.FixedResponse {
        let (type, body): (String?, [UInt8]) = switch response.body {
        case .none: (nil, [])
        case .text(let text): ("text/plain; charset=utf-8", Array(text.utf8))
        case .json(let json): ("application/json", Array(json.utf8))
        }
        return .init(status: UInt16(response.status.value), contentType: type, body: body,
                     headers: response.headers.map { .init(name: $0.name, value: $0.value) })
    }

    private func entry(for route: Route, index: Int, start: Int, _ context: inout CompilationContext) -> RouteEntry {
        let upstreamPath: [RouteEntry.PathPart]? = {
            guard case .upstream(let target) = route.target, let path = target.path else { return nil }
            return path.parts.map { part in
                switch part {
                case .literal(let text): .literal(text)
                case .parameter(let name, _): .parameter(UInt32(route.path.parameterNames.firstIndex(of: name) ?? 0))
                }
            }
        }()
        let defaults = context.spec.defaults
        let timeout: Int64 = if case .upstream(let target) = route.target { self.timeout(route, target, context) } else { 0 }
        return RouteEntry(
            methods: MethodSet(route.methods), key: route.key.value, host: route.host?.value,
            path: route.path.description, parameters: route.path.parameterNames,
            programStart: UInt32(start), programLength: UInt32(context.program.position - start),
            upstreamPath: upstreamPath, cors: context.routeCORS[index], timeoutMilliseconds: UInt32(clamping: timeout),
            bodyLimit: UInt64(route.bodyLimit?.value.bytes ?? defaults.bodyLimit?.value.bytes ?? Defaults.defaultBodyLimit.bytes),
            envelope: route.envelope?.value ?? defaults.envelope?.value ?? false, isPublic: route.access.isPublic,
            location: context.program.lineEntry(route.key.location))
    }
}
