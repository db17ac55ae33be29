import Artifact
import GatewayDSL

/// Names to indices: services, issuers, roles (with inherited permissions flattened),
/// rate limits, CORS and CSRF policies, and each route's path segments.
struct ResolvePass: CompilerPass {
    let name = "resolve"

    func run(_ context: inout CompilationContext) {
        let spec = context.spec
        for (index, service) in spec.services.enumerated() { context.serviceIndex[service.name.value] = index }
        for (index, issuer) in spec.auth.jwtIssuers.enumerated() { context.issuerIndex[issuer.name.value] = index }
        resolveRoles(&context)
        resolveLimits(&context)
        resolvePolicies(&context)
        var automata: [String: SegmentDFA?] = [:]
        context.segments = spec.routes.map { segments(of: $0, automata: &automata, &context) }
    }

    private func resolveRoles(_ context: inout CompilationContext) {
        let lineage = RoleLineage(context.spec.roles)
        context.effectivePermissions = lineage.effectivePermissions
        context.satisfyingRoles = lineage.satisfyingRoles
    }

    private func resolveLimits(_ context: inout CompilationContext) {
        let defaultFailure = context.spec.defaults.onStoreFailure?.value ?? .open
        func add(_ rate: Rate, _ key: LimitEntry.Key, _ scope: String, _ failure: RateLimit.StoreFailure? = nil) -> UInt32 {
            context.limits.append(LimitEntry(count: UInt32(clamping: rate.count), periodMilliseconds: UInt64(rate.period.milliseconds),
                                             burst: UInt32(clamping: rate.burst), key: key, scope: scope,
                                             failClosed: (failure ?? defaultFailure) == .closed))
            return UInt32(context.limits.count - 1)
        }
        for role in context.spec.roles { if let limit = role.limit { context.roleLimits[role.name.value] = add(limit.value, .role, role.name.value) } }
        for plan in context.spec.auth.apiKeys?.plans ?? [] { context.planLimits[plan.name.value] = add(plan.limit.value, .plan, plan.name.value) }
        context.routeLimits = context.spec.routes.map { route in
            route.limits.map { limit in
                let key: LimitEntry.Key = switch limit.key {
                case .principal: .principal
                case .apiKey: .apiKey
                case .ip: .ip
                case .route: .route
                }
                return add(limit.rate, key, route.key.value, limit.onStoreFailure)
            }
        }
    }

    private func resolvePolicies(_ context: inout CompilationContext) {
        let security = context.spec.security
        let globalCORS: UInt32? = security.cors.map { policy in
            context.corsPolicies.append(Self.cors(policy))
            return 0
        }
        let globalCSRF: UInt32? = security.csrf.map { policy in
            context.csrfPolicies.append(Self.csrf(policy, cors: security.cors))
            return 0
        }
        for route in context.spec.routes {
            switch route.cors {
            case .inherit: context.routeCORS.append(globalCORS)
            case .disabled: context.routeCORS.append(nil)
            case .replaced(let policy):
                context.corsPolicies.append(Self.cors(policy))
                context.routeCORS.append(UInt32(context.corsPolicies.count - 1))
            }
            switch route.csrf {
            case .inherit: context.routeCSRF.append(globalCSRF)
            case .disabled: context.routeCSRF.append(nil)
            case .replaced(let policy):
                context.csrfPolicies.append(Self.csrf(policy, cors: security.cors))
                context.routeCSRF.append(UInt32(context.csrfPolicies.count - 1))
            }
        }
    }

    static func cors(_ policy: CORSPolicy) -> GatewaySettings.CORS {
        GatewaySettings.CORS(origins: policy.origins.map(\.value), methods: policy.methods, headers: policy.headers,
                             expose: policy.expose, credentials: policy.credentials.value,
                             maxAgeSeconds: UInt32(clamping: policy.maxAge.milliseconds / 1_000))
    }

    /// Trusted origins are the policy's own plus the CORS origins (never `*`).
    static func csrf(_ policy: CSRFPolicy, cors: CORSPolicy?) -> GatewaySettings.CSRF {
        let origins = Set(policy.trustedOrigins.map(\.value) + (cors?.origins.map(\.value).filter { $0 != "*" } ?? [])).sorted()
        return GatewaySettings.CSRF(doubleSubmit: policy.mode == .doubleSubmit, cookie: policy.cookie, header: policy.header, trustedOrigins: origins)
    }

    /// `automata` caches each constraint's DFA by its text: specs repeat a few
    /// constraints (`uuid`, `[A-Z]{6}`) across many routes.
    private func segments(of route: Route, automata: inout [String: SegmentDFA?], _ context: inout CompilationContext) -> [RouteSegment] {
        if route.path.parameterNames.count > Artifact.maxParameters {
            context.bag.error(.tooManyParameters, "route `\(route.key.value)` has \(route.path.parameterNames.count) path parameters; at most \(Artifact.maxParameters) are allowed",
                              at: route.key.location, hint: "pass extra values in the query string or the body")
        }
        return zip(route.path.segments, route.path.segmentLocations).map { segment, location in
            switch segment {
            case .literal(let text): return .literal(text)
            case .parameter: return .parameter
            case .wildcard: return .wildcard
            case .constrained(_, let constraint):
                let key = constraint.description
                if automata[key] == nil { automata[key] = .some(PatternCompiler.compile(constraint.pattern)) }
                guard let dfa = automata[key] ?? nil else {
                    context.bag.error(.patternTooComplex, "constraint `\(constraint)` needs more than \(SegmentDFA.maxStates) automaton states",
                                      at: location, hint: "simplify the pattern: fewer alternatives or smaller repetition counts")
                    return .parameter
                }
                return .constrained(key: constraint.description, dfa: dfa)
            }
        }
    }
}
