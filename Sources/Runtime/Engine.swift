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
    /// Each route's header edits, read once from its program.
    let edits: [RouteEdits]
    let generatedSecurityHeaders: [Header]
    let upstreamSecurityHeaders: [Header]
    /// The envelope's data field name, as a JSON string.
    let envelopeKey: [UInt8]

    struct RouteEdits: Sendable {
        var upstreamSet: [Header] = []
        var upstreamRemove: [String] = []
        var responseSet: [Header] = []
        var responseRemove: [String] = []
    }

    public init(artifact: Artifact, clock: any GatewayClock = SystemClock(), identifiers: any IdentifierSource = RandomIdentifiers(),
                authenticator: any Authenticator = NoAuthenticator(), limiter: any RateLimitStore = InMemoryRateLimiter()) {
        self.artifact = artifact
        self.router = Router(artifact.routing)
        self.vm = PolicyVM(artifact: artifact, authenticator: authenticator, limiter: limiter)
        self.clock = clock
        self.identifiers = identifiers
        self.edits = artifact.routes.map { route in
            var edits = RouteEdits()
            for instruction in artifact.code[Int(route.programStart)..<Int(route.programStart + route.programLength)] {
                // Only edit instructions have string operands; the verifier checked them.
                switch instruction.opcode {
                case .setRequestHeader: edits.upstreamSet.append(Header(artifact.strings[Int(instruction.a)], artifact.strings[Int(instruction.b)]))
                case .removeRequestHeader: edits.upstreamRemove.append(artifact.strings[Int(instruction.a)])
                case .setResponseHeader: edits.responseSet.append(Header(artifact.strings[Int(instruction.a)], artifact.strings[Int(instruction.b)]))
                case .removeResponseHeader: edits.responseRemove.append(artifact.strings[Int(instruction.a)])
                default: continue
                }
            }
            return edits
        }
        self.envelopeKey = Array(Problem.json(artifact.settings.envelope?.dataField ?? "data").utf8)
        let security = artifact.settings.securityHeaders.map { Header(lowercased: $0.name, $0.value) }
        self.generatedSecurityHeaders = security
        self.upstreamSecurityHeaders = security.filter { $0.name != "content-security-policy" }
    }

    public func decide(_ request: RequestHead) -> Decision {
        var tracer = NoProgramTrace()
        return decide(request, tracer: &tracer)
    }

    public func decide<Tracer: ProgramTracer>(_ request: RequestHead, tracer: inout Tracer) -> Decision {
        let requestID = Self.acceptedRequestID(request.header("x-request-id")) ?? identifiers.requestID()
        let now = clock.nowMilliseconds()
        let normalized: PathNormalizer.Result
        switch normalizer.normalize(request.target) {
        case .success(let result): normalized = result
        case .failure(.tooLong): return .respond(problem(414, "the request target is too long", request, requestID), route: nil)
        case .failure(.badRequest(let reason)): return .respond(problem(400, reason, request, requestID), route: nil)
        }
        let host = Self.host(request)
        if request.method == "OPTIONS", let origin = request.header("origin"), let wanted = request.header("access-control-request-method") {
            return preflight(request, normalized, host: host, origin: origin, method: wanted, requestID: requestID)
        }
        return withUnsafeTemporaryAllocation(of: PathCapture.self, capacity: Artifact.maxParameters) { captures in
            decide(request, normalized, host: host, requestID: requestID, now: now, captures: captures, tracer: &tracer)
        }
    }

    private func decide<Tracer: ProgramTracer>(_ request: RequestHead, _ normalized: PathNormalizer.Result, host: String,
                                               requestID: String, now: Int64, captures: UnsafeMutableBufferPointer<PathCapture>,
                                               tracer: inout Tracer) -> Decision {
        // Only problem bodies show the path as text; build it only for them.
        var path: String { String(decoding: normalized.path, as: UTF8.self) }
        let lookup = lookup(normalized.path, host: host, method: MethodSet(method: request.method)?.rawValue ?? 0, request: request, captures: captures)
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
        var context = VMContext(request: request, path: normalized.path, query: normalized.query,
                                captures: UnsafeMutableBufferPointer(rebasing: captures[0..<captureCount]), host: host, now: now)
        let outcome = vm.run(route: routeIndex, &context, tracer: &tracer)
        let route = artifact.routes[routeIndex]
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
            apply(set: edits[routeIndex].responseSet, remove: edits[routeIndex].responseRemove, to: &response)
            return .respond(response, route: routeIndex)
        case .proxy(let service, let timeout):
            // Every proxied body is bounded, explicit `body-limit` or the default (chunked
            // bodies are counted by the server as they stream).
            if let length = request.contentLength, length > Int(route.bodyLimit) {
                var response = problem(413, "the request body is larger than \(route.bodyLimit) bytes", request, requestID, instance: path)
                response.headers += cors
                return .respond(response, route: routeIndex)
            }
            let upstream = upstreamRequest(request, normalized, route: route, routeIndex: routeIndex, service: service, timeout: timeout,
                                           context: context, requestID: requestID)
            let plan = ResponsePlan(route: routeIndex, requestID: requestID, setHeaders: edits[routeIndex].responseSet,
                                    removeHeaders: edits[routeIndex].responseRemove, corsHeaders: cors, envelope: route.envelope,
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
        var context = VMContext(request: request, path: path, query: nil, captures: captures, host: "", now: clock.nowMilliseconds())
        var tracer = NoProgramTrace()
        if case .deny(let status, _, _) = vm.run(route: route, &context, tracer: &tracer) { return status }
        return 0
    }

    /// Applies the route's response transforms to the upstream's reply.
    public func finish(_ plan: ResponsePlan, upstream: GatewayResponse) -> GatewayResponse {
        var response = upstream
        response.headers.reserveCapacity(response.headers.count + 4 + plan.corsHeaders.count + upstreamSecurityHeaders.count)
        response.headers.removeAll { HeaderNames.isReplacedDownstream($0.name) }
        if plan.envelope, (200..<300).contains(response.status),
           response.header("content-type")?.hasPrefix("application/json") == true, let envelope = artifact.settings.envelope {
            response.body = wrap(response.body, envelope, plan)
            response.headers.removeAll { $0.name == "content-length" }
        }
        response.headers.append(Header(lowercased: "x-request-id", plan.requestID))
        plan.rateLimit?.appendHeaders(to: &response.headers)
        response.headers.append(contentsOf: plan.corsHeaders)
        response.headers.append(contentsOf: upstreamSecurityHeaders)
        apply(set: plan.setHeaders, remove: plan.removeHeaders, to: &response)
        return response
    }

    // MARK: Pieces

    private func lookup(_ path: [UInt8], host: String, method: UInt8, request: RequestHead, captures: UnsafeMutableBufferPointer<PathCapture>) -> RouteLookup {
        let guards = ListGuards(headers: request.headers, query: [])
        var host = host
        return path.withUnsafeBufferPointer { pathBytes in
            host.withUTF8 { hostBytes in
                router.lookup(host: hostBytes, method: method, path: pathBytes, captures: captures, guards: guards)
            }
        }
    }

    private func preflight(_ request: RequestHead, _ normalized: PathNormalizer.Result, host: String, origin: String, method: String, requestID: String) -> Decision {
        let matched = withUnsafeTemporaryAllocation(of: PathCapture.self, capacity: Artifact.maxParameters) { captures in
            lookup(normalized.path, host: host, method: MethodSet(method: method)?.rawValue ?? 0, request: request, captures: captures)
        }
        guard case .matched(let index, _) = matched, let policyIndex = artifact.routes[index].cors else {
            return .respond(problem(403, "CORS preflight refused: no route allows \(method) here from browsers", request, requestID), route: nil)
        }
        let policy = artifact.settings.cors[Int(policyIndex)]
        guard Self.originAllowed(origin, policy), policy.methods.contains(method) else {
            var response = problem(403, "CORS preflight refused for origin \(origin)", request, requestID)
            response.headers.append(Header(lowercased: "vary", "Origin"))
            return .respond(response, route: index)
        }
        let requested = request.header("access-control-request-headers")?.split(separator: ",").map { $0.trimmingSpaces().lowercased() } ?? []
        let allowedHeaders = requested.filter { policy.headers.contains($0) }
        var headers = [
            Header(lowercased: "access-control-allow-origin", origin), Header(lowercased: "vary", "Origin"),
            Header(lowercased: "access-control-allow-methods", policy.methods.joined(separator: ", ")),
            Header(lowercased: "access-control-max-age", "\(policy.maxAgeSeconds)"), Header(lowercased: "x-request-id", requestID),
        ]
        if !allowedHeaders.isEmpty { headers.append(Header(lowercased: "access-control-allow-headers", allowedHeaders.joined(separator: ", "))) }
        if policy.credentials { headers.append(Header(lowercased: "access-control-allow-credentials", "true")) }
        return .respond(GatewayResponse(status: 204, headers: headers + generatedSecurityHeaders), route: index)
    }

    /// Exact origin matching; `*` only where credentials are off (the compiler refuses the rest).
    static func originAllowed(_ origin: String, _ policy: GatewaySettings.CORS) -> Bool {
        policy.origins.contains(origin) || (policy.origins.contains("*") && !policy.credentials)
    }

    static let varyOrigin = [Header(lowercased: "vary", "Origin")]

    private func corsHeaders(_ route: RouteEntry, _ request: RequestHead) -> [Header] {
        guard let index = route.cors else { return [] }
        let policy = artifact.settings.cors[Int(index)]
        guard let origin = request.header("origin"), Self.originAllowed(origin, policy) else { return Self.varyOrigin }
        var headers = [Header(lowercased: "access-control-allow-origin", origin), Header(lowercased: "vary", "Origin")]
        if policy.credentials { headers.append(Header(lowercased: "access-control-allow-credentials", "true")) }
        if !policy.expose.isEmpty { headers.append(Header(lowercased: "access-control-expose-headers", policy.expose.joined(separator: ", "))) }
        return headers
    }

    private func upstreamRequest(_ request: RequestHead, _ normalized: PathNormalizer.Result, route: RouteEntry, routeIndex: Int, service: Int,
                                 timeout: Int, context: VMContext, requestID: String) -> UpstreamRequest {
        var path = normalized.path
        if context.rewrite, let parts = route.upstreamPath {
            path = []
            for part in parts {
                switch part {
                case .literal(let text): path += Array(text.utf8)
                case .parameter(let index):
                    let capture = context.captures[Int(index)]
                    path += normalized.path[Int(capture.start)..<Int(capture.end)]
                }
            }
        }
        let entry = artifact.services[service]
        if !entry.endpoints.isEmpty, let base = entry.endpoints.first?.basePath, !base.isEmpty { path = Array(base.utf8) + path }
        var target = String(decoding: path, as: UTF8.self)
        if let query = normalized.query { target += "?" + String(decoding: query, as: UTF8.self) }
        // Strip what the client may not decide, then inject what the gateway knows.
        let connectionTokens: Set<String> = request.header("connection") == nil ? [] :
            Set(request.headers.filter { $0.name == "connection" }.flatMap { $0.value.split(separator: ",").map { $0.trimmingSpaces().lowercased() } })
        let keyHeader = artifact.auth.apiKeys?.header
        var headers: [Header] = []
        headers.reserveCapacity(request.headers.count + 8 + edits[routeIndex].upstreamSet.count)
        for header in request.headers where !HeaderNames.isReplacedUpstream(header.name) && header.name != keyHeader
            && (connectionTokens.isEmpty || !connectionTokens.contains(header.name)) {
            headers.append(Header(lowercased: header.name, header.value))
        }
        headers.append(Header(lowercased: "x-request-id", requestID))
        headers.append(Header(lowercased: "traceparent", traceparent(request.header("traceparent"))))
        headers.append(Header(lowercased: "x-forwarded-for", request.clientAddress))
        if let host = request.forwardedHost ?? request.header("host") { headers.append(Header(lowercased: "x-forwarded-host", host)) }
        headers.append(Header(lowercased: "x-forwarded-proto", request.forwardedProto ?? "http"))
        if let principal = context.principal {
            headers.append(Header(lowercased: "x-user-id", principal.id))
            headers.append(Header(lowercased: "x-roles", principal.roles.count == 1 ? principal.roles[0] : principal.roles.joined(separator: ",")))
            headers.append(Header(lowercased: "x-auth-method", principal.method.rawValue))
        }
        let edits = edits[routeIndex]
        if !edits.upstreamRemove.isEmpty || !edits.upstreamSet.isEmpty {
            headers.removeAll { header in edits.upstreamRemove.contains(header.name) || edits.upstreamSet.contains { $0.name == header.name } }
            headers += edits.upstreamSet
        }
        return UpstreamRequest(service: service, serviceName: entry.name, method: request.method, target: target, headers: headers,
                               timeoutMilliseconds: timeout)
    }

    /// W3C trace context: continue a valid trace with a new span, or start one.
    private func traceparent(_ incoming: String?) -> String {
        let span = identifiers.hex(bytes: 8)
        var text = ASCIIText()
        text.append("00-")
        if var incoming, Self.validTraceparent(incoming) {
            incoming.withUTF8 { bytes in
                text.append(bytes: bytes[3..<36])
                text.append(span)
                text.append(bytes: bytes[52..<55])
            }
        } else {
            text.append(identifiers.hex(bytes: 16))
            text.append(UInt8(ascii: "-"))
            text.append(span)
            text.append("-01")
        }
        return text.string
    }

    /// `00-<32 hex trace id>-<16 hex span id>-<2 hex flags>`, lower-case, ids not all zero.
    static func validTraceparent(_ value: String) -> Bool {
        var value = value
        return value.withUTF8 { bytes in
            guard bytes.count == 55, bytes[0] == UInt8(ascii: "0"), bytes[1] == UInt8(ascii: "0"),
                  bytes[2] == UInt8(ascii: "-"), bytes[35] == UInt8(ascii: "-"), bytes[52] == UInt8(ascii: "-") else { return false }
            func hex(_ range: Range<Int>) -> Bool {
                bytes[range].allSatisfy { ($0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9")) || ($0 >= UInt8(ascii: "a") && $0 <= UInt8(ascii: "f")) }
            }
            func zero(_ range: Range<Int>) -> Bool { bytes[range].allSatisfy { $0 == UInt8(ascii: "0") } }
            return hex(3..<35) && hex(36..<52) && hex(53..<55) && !zero(3..<35) && !zero(36..<52)
        }
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

    /// The Host header without its port, lower-cased. The common case (already lower
    /// case, no port) returns the header's own string, so nothing is copied.
    static func host(_ request: RequestHead) -> String {
        guard let host = request.header("host") else { return "" }
        var hasPort = false
        var hasUpper = false
        for byte in host.utf8 {
            if byte == UInt8(ascii: ":") || byte == UInt8(ascii: "[") { hasPort = true; break }
            if byte >= 0x41 && byte <= 0x5A { hasUpper = true }
        }
        if !hasPort && !hasUpper { return host }
        let name = host.hasPrefix("[") ? String(host.prefix { $0 != "]" }) + "]" : String(host.prefix { $0 != ":" })
        return name.lowercased()
    }

    /// `{"data":<body>,"meta":{...}}`, written straight into one buffer.
    private func wrap(_ body: [UInt8], _ envelope: GatewaySettings.Envelope, _ plan: ResponsePlan) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(body.count + 128)
        out.append(UInt8(ascii: "{"))
        out.append(contentsOf: envelopeKey)
        out.append(UInt8(ascii: ":"))
        if body.isEmpty { out.append(contentsOf: "null".utf8) } else { out.append(contentsOf: body) }
        out.append(contentsOf: ",\"meta\":{".utf8)
        var first = true
        func member(_ name: String) {
            if !first { out.append(UInt8(ascii: ",")) }
            first = false
            out.append(UInt8(ascii: "\""))
            out.append(contentsOf: name.utf8)
            out.append(contentsOf: "\":".utf8)
        }
        for field in envelope.meta {
            switch field {
            case "request-id":
                member("request_id")
                Problem.appendJSON(plan.requestID, to: &out)
            case "timestamp":
                member("timestamp")
                Problem.appendDecimal(plan.timestampMilliseconds, to: &out)
            case "route":
                member("route")
                Problem.appendJSON(artifact.routes[plan.route].key, to: &out)
            default:
                continue
            }
        }
        out.append(contentsOf: "}}".utf8)
        return out
    }

    private func apply(set: [Header], remove: [String], to response: inout GatewayResponse) {
        if set.isEmpty && remove.isEmpty { return }
        response.headers.removeAll { header in remove.contains(header.name) || set.contains { $0.name == header.name } }
        response.headers += set
    }

    func problem(_ status: Int, _ detail: String, _ request: RequestHead, _ requestID: String, instance: String? = nil) -> GatewayResponse {
        let body = Problem.body(status: status, detail: detail, instance: instance ?? String(request.target.prefix { $0 != "?" }.prefix(256)),
                                requestID: requestID, typeBase: artifact.settings.problemTypeBase)
        return GatewayResponse(status: status, headers: [Header(lowercased: "content-type", "application/problem+json"), Header(lowercased: "x-request-id", requestID)]
                               + generatedSecurityHeaders, body: body)
    }
}
