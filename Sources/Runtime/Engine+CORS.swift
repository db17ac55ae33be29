import Artifact

/// CORS (Fetch standard): preflights answered per route, origins matched exactly.
extension Engine {
    func preflight(_ request: RequestHead, _ normalized: PathNormalizer.Normalized, host: UnsafeBufferPointer<UInt8>, origin: String, method: String, requestID: String) -> Decision {
        let matched = withUnsafeTemporaryAllocation(of: PathCapture.self, capacity: Artifact.maxParameters) { captures in
            lookup(normalized.path, host: host, method: MethodSet(method: method)?.rawValue ?? 0, request: request, captures: captures)
        }
        guard case .matched(let index, _) = matched, let policyIndex = artifact.routes[index].cors else {
            return .respond(problem(403, "CORS preflight refused: no route allows \(method) here from browsers", request, requestID), route: nil)
        }
        let policy = corsPolicies[Int(policyIndex)]
        guard Self.originAllowed(origin, policy), policy.methods.contains(method) else {
            var response = problem(403, "CORS preflight refused for origin \(origin)", request, requestID)
            response.headers.append(Header(lowercased: "vary", "Origin"))
            return .respond(response, route: index)
        }
        let requested = request.header(.accessControlRequestHeaders)?.split(separator: ",").map { $0.trimmingSpaces().lowercased() } ?? []
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

    func corsHeaders(_ route: PreparedRoute, _ request: RequestHead) -> [Header] {
        guard let index = route.cors else { return [] }
        let policy = corsPolicies[Int(index)]
        guard let origin = request.header(.origin), Self.originAllowed(origin, policy) else { return Self.varyOrigin }
        var headers = [Header(lowercased: "access-control-allow-origin", origin), Header(lowercased: "vary", "Origin")]
        if policy.credentials { headers.append(Header(lowercased: "access-control-allow-credentials", "true")) }
        if !policy.expose.isEmpty { headers.append(Header(lowercased: "access-control-expose-headers", policy.expose.joined(separator: ", "))) }
        return headers
    }
}
