import Artifact
import GatewayDSL

/// Assembles the artifact from what the passes produced, then runs the runtime's own
/// verifier on it: a compiler bug is caught here, not at boot in production.
struct LayoutPass: CompilerPass {
    let name = "lay-out"

    func run(_ context: inout CompilationContext) {
        guard let routing = context.routing else { return }
        let spec = context.spec
        var artifact = Artifact(
            strings: context.program.strings, constants: context.program.constants, routing: routing,
            code: context.program.code, lines: context.program.lines,
            services: spec.services.map { Self.service($0, spec.defaults) },
            auth: Self.auth(spec.auth, planLimits: context.planLimits),
            roles: spec.roles.map { RoleEntry(name: $0.name.value, permissions: context.effectivePermissions[$0.name.value] ?? [],
                                              limit: context.roleLimits[$0.name.value]) },
            limits: context.limits, routes: context.routeEntries,
            settings: Self.settings(spec, context))
        artifact.header = nil
        do {
            try artifact.verify()
            context.artifact = artifact
        } catch {
            context.bag.error(.internalError, "the compiled artifact failed verification: \(error)",
                              at: SourceLocation(file: spec.files.first ?? "specs", line: 1, column: 1),
                              hint: "this is a compiler bug; please report it with the specs that caused it")
        }
    }

    static func service(_ service: Service, _ defaults: Defaults) -> ServiceEntry {
        ServiceEntry(
            name: service.name.value,
            endpoints: service.endpoints.map { .init(https: $0.value.scheme == .https, host: $0.value.host, port: UInt16($0.value.port), basePath: $0.value.basePath) },
            balance: service.balance == .leastRequest ? .leastRequest : .roundRobin,
            connectTimeoutMilliseconds: UInt32(clamping: (service.connectTimeout?.value ?? defaults.connectTimeout?.value ?? Defaults.defaultConnectTimeout).milliseconds),
            timeoutMilliseconds: UInt32(clamping: (service.timeout?.value ?? defaults.timeout?.value ?? Defaults.defaultTimeout).milliseconds),
            retry: service.retry.map { retry in
                .init(attempts: UInt8(clamping: retry.attempts), onConnectError: retry.on.contains(.connectError), onTimeout: retry.on.contains(.timeout),
                      onStatuses: retry.on.compactMap { if case .status(let code) = $0 { UInt16(code) } else { nil } },
                      idempotentOnly: retry.only == .idempotent, budgetPercent: UInt8(clamping: retry.budgetPercent))
            },
            health: service.health.map { .init(path: $0.path, everyMilliseconds: UInt32(clamping: $0.every.milliseconds),
                                               timeoutMilliseconds: UInt32(clamping: $0.timeout.milliseconds),
                                               healthy: UInt16(clamping: $0.healthy), unhealthy: UInt16(clamping: $0.unhealthy)) },
            breaker: service.circuitBreaker.map { .init(failures: UInt16(clamping: $0.failures), cooldownMilliseconds: UInt32(clamping: $0.cooldown.milliseconds)) })
    }

    static func auth(_ auth: AuthConfig, planLimits: [String: UInt32]) -> AuthSettings {
        AuthSettings(
            issuers: auth.jwtIssuers.map { issuer in
                let (kind, reference): (AuthSettings.Issuer.KeyKind, SecretReference) = switch issuer.keys.value {
                case .secret(let r): (.secret, r)
                case .pem(let r): (.pem, r)
                case .jwks(let r): (.jwks, r)
                }
                let cookie: String? = if case .cookie(let name) = issuer.source { name } else { nil }
                return .init(name: issuer.name.value, issuer: issuer.issuer.value, audiences: issuer.audiences.map(\.value),
                             algorithms: issuer.algorithms.map(\.value.rawValue), keyKind: kind, keyReference: reference.description,
                             leewayMilliseconds: UInt32(clamping: issuer.leeway.milliseconds), subjectClaim: issuer.subjectClaim,
                             rolesClaim: issuer.rolesClaim, scopesClaim: issuer.scopesClaim, cookie: cookie,
                             maxTokenBytes: UInt32(clamping: issuer.maxTokenSize.bytes))
            },
            apiKeys: auth.apiKeys.map { keys in
                .init(header: keys.header.value, storeReference: keys.store.value.description, pepperReference: keys.pepper.value.description,
                      plans: keys.plans.compactMap { plan in planLimits[plan.name.value].map { .init(name: plan.name.value, limit: $0) } })
            })
    }

    static func settings(_ spec: Spec, _ context: CompilationContext) -> GatewaySettings {
        let d = spec.defaults
        let defaults = GatewaySettings.Defaults(
            timeoutMilliseconds: UInt32(clamping: (d.timeout?.value ?? Defaults.defaultTimeout).milliseconds),
            connectTimeoutMilliseconds: UInt32(clamping: (d.connectTimeout?.value ?? Defaults.defaultConnectTimeout).milliseconds),
            bodyLimit: UInt64((d.bodyLimit?.value ?? Defaults.defaultBodyLimit).bytes),
            headerLimit: UInt32(clamping: (d.headerLimit?.value ?? Defaults.defaultHeaderLimit).bytes),
            headerTimeoutMilliseconds: UInt32(clamping: (d.headerTimeout?.value ?? Defaults.defaultHeaderTimeout).milliseconds),
            idleTimeoutMilliseconds: UInt32(clamping: (d.idleTimeout?.value ?? Defaults.defaultIdleTimeout).milliseconds),
            maxConnections: UInt32(clamping: d.maxConnections?.value ?? Defaults.defaultMaxConnections))
        let envelope = spec.responses.envelope.map { GatewaySettings.Envelope(dataField: $0.dataField, meta: $0.meta.map(\.rawValue)) }
        return GatewaySettings(
            name: spec.name?.value ?? "gateway", defaults: defaults, cors: context.corsPolicies, csrf: context.csrfPolicies,
            securityHeaders: securityHeaders(spec.security.headers),
            problemTypeBase: spec.responses.problemTypeBase?.value ?? "about:blank#",
            envelope: envelope ?? GatewaySettings.Envelope(dataField: "data", meta: ["request-id"]),
            fixedResponses: context.fixedResponses)
    }

    /// The defaults, each replaced or turned off as the spec says, in a fixed order.
    static func securityHeaders(_ headers: SecurityHeaders) -> [GatewaySettings.Header] {
        let names = ["hsts": "strict-transport-security", "content-type-options": "x-content-type-options",
                     "frame-options": "x-frame-options", "referrer-policy": "referrer-policy",
                     "csp": "content-security-policy", "permissions-policy": "permissions-policy"]
        let overrides: [String: SecurityHeaders.Setting?] = [
            "hsts": headers.hsts, "content-type-options": headers.contentTypeOptions, "frame-options": headers.frameOptions,
            "referrer-policy": headers.referrerPolicy, "csp": headers.contentSecurityPolicy, "permissions-policy": headers.permissionsPolicy,
        ]
        return SecurityHeaders.defaults.compactMap { key, value in
            switch overrides[key] ?? nil {
            case .off: return nil
            case .value(let custom): return GatewaySettings.Header(name: names[key] ?? key, value: custom)
            case nil: return GatewaySettings.Header(name: names[key] ?? key, value: value)
            }
        }
    }
}

/// Encodes the artifact, signing its body when a key is configured.
struct EncodePass: CompilerPass {
    let name = "encode"

    func run(_ context: inout CompilationContext) {
        guard let artifact = context.artifact else { return }
        do {
            if let key = context.options.signingKeyPEM {
                context.bytes = try artifact.encoded { body in try Ed25519.sign(body, privateKeyPEM: key) }
            } else {
                context.bytes = artifact.encoded()
            }
        } catch {
            context.bag.error(.signingFailed, "could not sign the artifact: \(error)",
                              at: SourceLocation(file: context.spec.files.first ?? "specs", line: 1, column: 1),
                              hint: "pass an Ed25519 private key in PEM form, e.g. from `openssl genpkey -algorithm ed25519`")
        }
    }
}
