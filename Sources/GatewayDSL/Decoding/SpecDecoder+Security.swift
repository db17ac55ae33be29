extension SpecDecoder {
    mutating func decodeSecurity(_ node: YAMLNode, into fragment: inout SpecFragment) {
        guard let mapping = expectMapping(node, what: "`security`", example: "security:\n  cors: ...\n  headers: ...") else { return }
        let fields = Fields(mapping, allowed: SpecSchema.security, context: "`security`", bag: &bag)
        if let node = fields["cors"] { fragment.cors = decodeCORS(node) }
        if let node = fields["csrf"] { fragment.csrf = decodeCSRF(node) }
        if let node = fields["headers"] { fragment.headers = decodeSecurityHeaders(node) }
    }

    mutating func decodeCORS(_ node: YAMLNode) -> CORSPolicy? {
        guard let mapping = expectMapping(node, what: "`cors`", example: "cors:\n  origins: [https://trade.forex.example]") else { return nil }
        let fields = Fields(mapping, allowed: SpecSchema.cors, context: "`cors`", bag: &bag)
        let origins = (fields["origins"].map { strings($0, what: "`origins`", example: "[https://trade.forex.example]") } ?? [])
            .filter { origin($0, what: "origin") }
        if fields["origins"] == nil {
            bag.error(.missingKey, "`cors` has no `origins`", at: mapping.location, hint: "list the exact origins, e.g. `origins: [https://trade.forex.example]`")
        }
        let methods = (fields["methods"].map { list($0, what: "`methods`", example: "[GET, POST]") } ?? [])
            .compactMap { choice($0, what: "a CORS method", as: HTTPMethod.self)?.value.rawValue }
        let headers = headerNames(fields["headers"], what: "`headers`")
        let expose = headerNames(fields["expose"], what: "`expose`")
        return CORSPolicy(
            origins: origins,
            methods: methods.isEmpty ? ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE"] : methods,
            headers: headers, expose: expose,
            credentials: fields["credentials"].flatMap { bool($0, what: "`credentials`") } ?? Located(false, at: mapping.location),
            maxAge: fields["max-age"].flatMap { duration($0, what: "`max-age`", minimum: SpecDuration(milliseconds: 0)) }?.value ?? SpecDuration(milliseconds: 600_000),
            location: mapping.location)
    }

    private mutating func headerNames(_ node: YAMLNode?, what: String) -> [String] {
        guard let node else { return [] }
        return list(node, what: what, example: "[Content-Type, X-Request-Id]").compactMap { item in
            guard let scalar = scalar(item, what: "a header name", example: "X-Request-Id") else { return nil }
            return headerName(scalar, what: "header name")
        }
    }

    mutating func decodeCSRF(_ node: YAMLNode) -> CSRFPolicy? {
        guard let mapping = expectMapping(node, what: "`csrf`", example: "csrf: { mode: origin }") else { return nil }
        let fields = Fields(mapping, allowed: SpecSchema.csrf, context: "`csrf`", bag: &bag)
        var header = "x-csrf-token"
        if let node = fields["header"], let scalar = scalar(node, what: "`header`", example: "X-CSRF-Token"), let name = headerName(scalar, what: "`header`") {
            header = name
        }
        let trusted = (fields["trusted-origins"].map { strings($0, what: "`trusted-origins`", example: "[https://trade.forex.example]") } ?? [])
            .filter { origin($0, what: "trusted origin") && $0.value != "*" }
        return CSRFPolicy(
            mode: fields["mode"].flatMap { choice($0, what: "`mode`", as: CSRFPolicy.Mode.self) }?.value ?? .origin,
            cookie: fields["cookie"].flatMap { string($0, what: "`cookie`", example: "csrf_token") }?.value ?? "csrf_token",
            header: header, trustedOrigins: trusted, location: mapping.location)
    }

    mutating func decodeSecurityHeaders(_ node: YAMLNode) -> SecurityHeaders? {
        guard let mapping = expectMapping(node, what: "`headers`", example: "headers:\n  frame-options: DENY") else { return nil }
        let fields = Fields(mapping, allowed: SpecSchema.securityHeaders, context: "security `headers`", bag: &bag)
        var headers = SecurityHeaders()
        headers.location = mapping.location
        headers.hsts = setting(fields["hsts"], what: "`hsts`")
        headers.contentTypeOptions = setting(fields["content-type-options"], what: "`content-type-options`")
        headers.frameOptions = setting(fields["frame-options"], what: "`frame-options`")
        headers.referrerPolicy = setting(fields["referrer-policy"], what: "`referrer-policy`")
        headers.contentSecurityPolicy = setting(fields["csp"], what: "`csp`")
        headers.permissionsPolicy = setting(fields["permissions-policy"], what: "`permissions-policy`")
        return headers
    }

    /// `false` turns a header off; any other value is its text.
    private mutating func setting(_ node: YAMLNode?, what: String) -> SecurityHeaders.Setting? {
        guard let node else { return nil }
        if case .scalar(let scalar) = node, scalar.style == .plain, scalar.value == "false" { return .off }
        return headerValue(node, what: what).map { .value($0) }
    }

    mutating func decodeResponses(_ node: YAMLNode) -> (ResponseFormat, SourceLocation)? {
        guard let mapping = expectMapping(node, what: "`responses`", example: "responses:\n  problem-type-base: https://errors.forex.example/") else { return nil }
        let fields = Fields(mapping, allowed: SpecSchema.responses, context: "`responses`", bag: &bag)
        var format = ResponseFormat()
        if let node = fields["problem-type-base"], let base = string(node, what: "`problem-type-base`", example: "https://errors.forex.example/") {
            if case .success = Endpoint.parse(base.value), base.value.hasSuffix("/") {
                format.problemTypeBase = base
            } else {
                bag.error(.invalidValue, "`problem-type-base` must be an http(s) URL ending in `/`", at: base.location,
                          hint: "e.g. `https://errors.forex.example/problems/`; problem types become `<base>rate-limited`")
            }
        }
        if let node = fields["envelope"], let envelope = expectMapping(node, what: "`envelope`", example: "envelope: { data: data, meta: [request-id] }") {
            let envelopeFields = Fields(envelope, allowed: SpecSchema.envelope, context: "`envelope`", bag: &bag)
            let meta = envelopeFields["meta"].map { list($0, what: "`meta`", example: "[request-id, timestamp]") } ?? []
            format.envelope = .init(
                dataField: envelopeFields["data"].flatMap { string($0, what: "`data`", example: "data") }?.value ?? "data",
                meta: meta.compactMap { choice($0, what: "a meta field", as: ResponseFormat.Envelope.MetaField.self)?.value },
                location: envelope.location)
        }
        return (format, mapping.location)
    }
}
