import Artifact

/// The gateway's functional core: given a loaded artifact and a request head, it
/// decides. It does no I/O; the clock, identifiers, authenticator and rate-limit
/// store come in through protocols, so the harness drives exactly what the server
/// drives. One engine serves many requests concurrently.
public final class Engine: Sendable {
    public let artifact: Artifact
    public let router: Router
    let vm: PolicyVM
    let clock: any GatewayClock
    let identifiers: any IdentifierSource
    let normalizer = PathNormalizer()
    /// Each route as decisions use it, prepared once.
    let prepared: [PreparedRoute]
    /// Each service's name and base path (the first endpoint's; as bytes, written into
    /// every upstream target), by index.
    let serviceNames: [String]
    let serviceBasePaths: [[UInt8]]
    let generatedSecurityHeaders: [Header]
    /// The CORS policies, held apart from the settings (reading one through the
    /// settings value copied more of it).
    let corsPolicies: [GatewaySettings.CORS]
    /// `{"<data field>":`, the envelope's opening.
    let envelopeOpening: [UInt8]

    public init(artifact: Artifact, clock: any GatewayClock = SystemClock(), identifiers: any IdentifierSource = RandomIdentifiers(),
                authenticator: any Authenticator = NoAuthenticator(), limiter: any RateLimitStore = InMemoryRateLimiter()) {
        self.artifact = artifact
        self.router = Router(artifact.routing)
        self.vm = PolicyVM(artifact: artifact, authenticator: authenticator, limiter: limiter)
        self.clock = clock
        self.identifiers = identifiers
        let security = artifact.settings.securityHeaders.map { Header(lowercased: $0.name, $0.value) }
        self.generatedSecurityHeaders = security
        // A CSP is for the gateway's own bodies; an upstream's content sets its own.
        let upstreamSecurity = security.filter { $0.name != "content-security-policy" }
        self.prepared = artifact.routes.map { PreparedRoute(route: $0, artifact: artifact, securityHeaders: upstreamSecurity) }
        self.serviceNames = artifact.services.map(\.name)
        self.serviceBasePaths = artifact.services.map { Array(($0.endpoints.first?.basePath ?? "").utf8) }
        self.corsPolicies = artifact.settings.cors
        self.envelopeOpening = Array(("{" + Problem.json(artifact.settings.envelope?.dataField ?? "data") + ":").utf8)
    }

    public func decide(_ request: RequestHead) -> Decision {
        var tracer = NoProgramTrace()
        return decide(request, tracer: &tracer)
    }

    /// Decides with `limiter` instead of the engine's own, for this request only: a
    /// shared store decides in two passes (`LimitProbe`, then `LimitAnswers`).
    public func decide(_ request: RequestHead, limiter: any RateLimitStore) -> Decision {
        var tracer = NoProgramTrace()
        return decide(request, limiter: limiter, tracer: &tracer)
    }

    public func decide<Tracer: ProgramTracer>(_ request: RequestHead, limiter: (any RateLimitStore)? = nil, tracer: inout Tracer) -> Decision {
        let requestID = Self.acceptedRequestID(request.header(.requestID)) ?? identifiers.requestID()
        let now = clock.nowMilliseconds()
        // The whole decision runs inside the normalizer's closure: the normalized path
        // lives in temporary memory there, and nothing it holds escapes.
        var target = request.target
        return target.withUTF8 { targetBytes in
            normalizer.withNormalized(targetBytes) { result in
                let normalized: PathNormalizer.Normalized
                switch result {
                case .success(let result): normalized = result
                case .failure(.tooLong): return .respond(problem(414, "the request target is too long", request, requestID), route: nil)
                case .failure(.badRequest(let reason)): return .respond(problem(400, reason, request, requestID), route: nil)
                }
                return Self.withRoutingHost(request) { host in
                    if request.method == "OPTIONS", let origin = request.header(.origin), let wanted = request.header(.accessControlRequestMethod) {
                        return preflight(request, normalized, host: host, origin: origin, method: wanted, requestID: requestID)
                    }
                    return withUnsafeTemporaryAllocation(of: PathCapture.self, capacity: Artifact.maxParameters) { captures in
                        decide(request, normalized, host: host, requestID: requestID, now: now, captures: captures, limiter: limiter, tracer: &tracer)
                    }
                }
            }
        }
    }

    private func decide<Tracer: ProgramTracer>(_ request: RequestHead, _ normalized: PathNormalizer.Normalized, host: UnsafeBufferPointer<UInt8>,
                                               requestID: String, now: Int64, captures: UnsafeMutableBufferPointer<PathCapture>,
                                               limiter: (any RateLimitStore)?, tracer: inout Tracer) -> Decision {
        // Only problem bodies show the path as text; build it only for them.
        var path: String { String(decoding: normalized.path, as: UTF8.self) }
        let method = MethodSet(method: request.method)
        let lookup = lookup(normalized.path, host: host, method: method?.rawValue ?? 0, request: request, captures: captures)
        let routeIndex: Int
        let captureCount: Int
        switch lookup {
        case .notFound:
            return .respond(problem(404, "no route matches \(request.method) \(path)", request, requestID, instance: path), route: nil)
        case .methodNotAllowed(let allowed):
            var response = problem(405, "\(path) does not accept \(request.method)", request, requestID, instance: path)
            response.headers.append(Header(lowercased: "allow", MethodSet(rawValue: allowed).description))
            return .respond(response, route: nil)
        case .matched(let route, let count):
            routeIndex = route
            captureCount = count
        }
        var context = VMContext(request: request, method: method, path: normalized.path, query: normalized.query,
                                captures: UnsafeMutableBufferPointer(rebasing: captures[0..<captureCount]), now: now, limiter: limiter)
        let outcome = vm.run(route: routeIndex, &context, tracer: &tracer)
        let route = prepared[routeIndex]
        let cors = corsHeaders(route, request)
        switch outcome {
        case .deny(let status, let detail, let headers):
            var response = problem(status, detail, request, requestID, instance: path)
            response.headers += headers + cors
            return .respond(response, route: routeIndex)
        case .respond(let index):
            let fixed = artifact.settings.fixedResponses[index]
            var headers = [Header(lowercased: "x-request-id", requestID)]
            if let type = fixed.contentType { headers.append(Header(lowercased: "content-type", type)) }
            headers += fixed.headers.map { Header($0.name, $0.value) }
            context.rateLimit?.appendHeaders(to: &headers)
            headers += cors + generatedSecurityHeaders
            var response = GatewayResponse(status: Int(fixed.status), headers: headers, body: fixed.body)
            apply(set: prepared[routeIndex].responseSet, remove: prepared[routeIndex].responseRemove, to: &response)
            return .respond(response, route: routeIndex)
        case .proxy(let service, let timeout):
            // Every proxied body is bounded, explicit `body-limit` or the default (chunked
            // bodies are counted by the server as they stream).
            if let length = request.contentLength, length > route.bodyLimit {
                var response = problem(413, "the request body is larger than \(route.bodyLimit) bytes", request, requestID, instance: path)
                response.headers += cors
                return .respond(response, route: routeIndex)
            }
            let upstream = upstreamRequest(request, normalized, route: route, service: service, timeout: timeout,
                                           context: context, requestID: requestID)
            let plan = ResponsePlan(route: routeIndex, requestID: requestID, corsHeaders: cors, envelope: route.envelopeEnabled,
                                    timestampMilliseconds: now, rateLimit: context.rateLimit, principal: context.principal)
            return .forward(upstream, plan)
        }
    }

    /// Why an upstream call failed, as the server reports it.
    public enum UpstreamFailure: Sendable {
        /// The connection failed or the reply was not valid HTTP: 502.
        case badGateway
        /// No healthy endpoint, or the circuit is open: 503.
        case unavailable
        /// The upstream did not answer within the route's timeout: 504.
        case timeout
    }

    /// The problem+json response for a failed upstream call, with the plan's
    /// request id, CORS and security headers, like every other gateway error.
    public func failure(_ failure: UpstreamFailure, plan: ResponsePlan, request: RequestHead) -> GatewayResponse {
        let (status, detail): (Int, String) = switch failure {
        case .badGateway: (502, "the upstream service failed to answer")
        case .unavailable: (503, "the upstream service is unavailable")
        case .timeout: (504, "the upstream service did not answer in time")
        }
        let path = String(request.target.prefix { $0 != "?" })
        var response = problem(status, detail, request, plan.requestID, instance: path)
        response.headers += plan.corsHeaders
        if failure == .unavailable { response.headers.append(Header(lowercased: "retry-after", "1")) }
        return response
    }

    /// The problem+json reply for a request refused before it could be decided: a
    /// malformed or oversized head, a client too slow to send one, too many connections.
    public func rejection(status: Int, detail: String, target: String = "/") -> GatewayResponse {
        problem(status, detail, RequestHead(method: "GET", target: target), identifiers.requestID(), instance: String(target.prefix { $0 != "?" }.prefix(256)))
    }

    /// Runs only route `route`'s program for an already normalized and routed request,
    /// returning the denial status or 0. For measuring the VM by itself.
    @_spi(Benchmarks)
    public func evaluatePolicy(_ request: RequestHead, path: [UInt8], route: Int, captures: UnsafeMutableBufferPointer<PathCapture>) -> Int {
        path.withUnsafeBufferPointer { path in
            var context = VMContext(request: request, method: MethodSet(method: request.method), path: path, query: nil, captures: captures,
                                    now: clock.nowMilliseconds())
            var tracer = NoProgramTrace()
            if case .deny(let status, _, _) = vm.run(route: route, &context, tracer: &tracer) { return status }
            return 0
        }
    }

    // MARK: Pieces

    func lookup(_ path: UnsafeBufferPointer<UInt8>, host: UnsafeBufferPointer<UInt8>, method: UInt8, request: RequestHead,
                captures: UnsafeMutableBufferPointer<PathCapture>) -> RouteLookup {
        router.lookup(host: host, method: method, path: path, captures: captures, guards: RequestGuards(request: request))
    }

    /// A client's X-Request-Id is kept when it is short and plain; otherwise a new one is made.
    static func acceptedRequestID(_ value: String?) -> String? {
        guard let value, !value.isEmpty, value.utf8.count <= 128 else { return nil }
        let plain = value.utf8.allSatisfy { byte in
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
                 UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: ":"): true
            default: false
            }
        }
        return plain ? value : nil
    }

    /// The Host header without its port, lower-cased (what routing and a policy's
    /// `request.host` see).
    static func host(_ request: RequestHead) -> String {
        withRoutingHost(request) { String(decoding: $0, as: UTF8.self) }
    }

    /// The same as bytes, for the router: the header's own bytes when they already
    /// are (lower case; a port only cut off), which is the usual case, so nothing is
    /// made; otherwise a lower-cased copy on the stack.
    static func withRoutingHost<Result>(_ request: RequestHead, _ body: (UnsafeBufferPointer<UInt8>) -> Result) -> Result {
        let found = request.withValue(.host) { bytes in
            // `[v6]:port` keeps its brackets; `name:port` ends at the colon. One pass
            // finds the end and whether anything needs lower-casing.
            let bracketed = bytes.first == UInt8(ascii: "[")
            let stop = bracketed ? UInt8(ascii: "]") : UInt8(ascii: ":")
            var end = 0, upper = false
            while end < bytes.count, bytes[end] != stop {
                upper = upper || (bytes[end] >= 0x41 && bytes[end] <= 0x5A)
                end += 1
            }
            let count = bracketed ? end + 1 : end
            if !upper && (!bracketed || end < bytes.count) { return body(UnsafeBufferPointer(rebasing: bytes[0..<count])) }
            return withUnsafeTemporaryAllocation(of: UInt8.self, capacity: count) { out in
                for index in 0..<end { out[index] = ASCIICase.lower(bytes[index]) }
                if bracketed { out[end] = UInt8(ascii: "]") }
                return body(UnsafeBufferPointer(out))
            }
        }
        if let found { return found }
        return body(UnsafeBufferPointer(start: nil, count: 0))
    }

    func problem(_ status: Int, _ detail: String, _ request: RequestHead, _ requestID: String, instance: String? = nil) -> GatewayResponse {
        let body = Problem.body(status: status, detail: detail, instance: instance ?? String(request.target.prefix { $0 != "?" }.prefix(256)),
                                requestID: requestID, typeBase: artifact.settings.problemTypeBase)
        return GatewayResponse(status: status, headers: [Header(lowercased: "content-type", "application/problem+json"), Header(lowercased: "x-request-id", requestID)]
                               + generatedSecurityHeaders, body: body)
    }
}
