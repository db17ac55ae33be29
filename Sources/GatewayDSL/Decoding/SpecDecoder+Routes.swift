extension SpecDecoder {
    mutating func decodeRoute(key: YAMLScalar, node: YAMLNode) -> Route? {
        guard let (methods, path) = parseRouteKey(key) else { return nil }
        let context = "route `\(key.value)`"
        guard let mapping = expectMapping(node, what: context, example: "to: pricing /quotes\nallow: [viewer]") else { return nil }
        let fields = Fields(mapping, allowed: SpecSchema.route, context: context, bag: &bag)
        guard let target = decodeTarget(fields, context: context, at: key.location) else { return nil }
        var route = Route(key: Located(key.value, at: key.location), methods: methods, path: path, target: target,
                          access: decodeAccess(fields), location: key.location)
        route.host = fields["host"].flatMap { decodeHost($0) }
        route.guards = fields["match"].map { decodeGuards($0) } ?? []
        route.authenticators = fields["auth"].map { decodeAuthenticators($0) }
        route.conditions = fields["when"].map { decodeConditions($0) } ?? []
        route.limits = fields["limit"].map { decodeLimits($0, isPublic: route.access.isPublic) } ?? []
        if let node = fields["headers"] { (route.requestHeaders, route.responseHeaders) = decodeRouteHeaders(node) }
        route.cors = fields["cors"].map { override($0, what: "`cors`") { $0.decodeCORS($1) } } ?? .inherit
        route.csrf = fields["csrf"].map { override($0, what: "`csrf`") { $0.decodeCSRF($1) } } ?? .inherit
        route.timeout = fields["timeout"].flatMap { duration($0, what: "`timeout`") }
        route.bodyLimit = fields["body-limit"].flatMap { size($0, what: "`body-limit`") }
        route.accepts = fields["accepts"].map { decodeMediaTypes($0) } ?? []
        route.envelope = fields["envelope"].flatMap { bool($0, what: "`envelope`") }
        route.description = fields["description"].flatMap { string($0, what: "`description`") }?.value
        return route
    }

    /// `GET /path`, `GET,HEAD /path` or `ANY /path`.
    private mutating func parseRouteKey(_ key: YAMLScalar) -> ([HTTPMethod]?, PathTemplate)? {
        let text = key.value
        guard let space = text.firstIndex(of: " ") else {
            let hint = text.hasPrefix("/") ? "add the method: `GET \(text)`" : "write `METHOD /path`, e.g. `GET /api/v1/quotes`"
            bag.error(.invalidRouteKey, "route key `\(text.truncatedForMessage)` is not `METHOD /path`", at: key.location, hint: hint)
            return nil
        }
        let methodText = text[..<space]
        let pathStart = text.distance(from: text.startIndex, to: space) + 1
        let pathText = String(text[text.index(after: space)...])
        var methods: [HTTPMethod]? = []
        if methodText == "ANY" {
            methods = nil
        } else {
            var offset = 0
            for word in methodText.split(separator: ",", omittingEmptySubsequences: false) {
                if let method = HTTPMethod(rawValue: String(word)) {
                    if methods?.contains(method) == true {
                        bag.error(.invalidRouteKey, "method \(word) is listed twice", at: key.location(ofOffset: offset), hint: nil)
                    }
                    methods?.append(method)
                } else {
                    let known = HTTPMethod.allCases.map(\.rawValue) + ["ANY"]
                    let upper = Suggestions.closest(to: String(word), in: known)
                    bag.error(.invalidRouteKey, "`\(word)` is not a method a route can name", at: key.location(ofOffset: offset),
                              hint: upper.map { "did you mean `\($0)`?" } ?? "use \(known.joined(separator: ", ")), comma-separated")
                    return nil
                }
                offset += word.count + 1
            }
        }
        switch PathTemplateParser.parse(pathText, locate: { key.location(ofOffset: pathStart + $0) }) {
        case .success(let path):
            return (methods?.sorted(), path)
        case .failure(let failure):
            bag.error(.invalidPathTemplate, failure.message, at: key.location(ofOffset: pathStart + failure.offset), hint: failure.hint)
            return nil
        }
    }

    private mutating func decodeHost(_ node: YAMLNode) -> Located<String>? {
        guard let host = string(node, what: "`host`", example: "api.forex.example") else { return nil }
        var name = Substring(host.value)
        if name.hasPrefix("*.") { name = name.dropFirst(2) }
        let labels = name.split(separator: ".", omittingEmptySubsequences: false)
        let valid = !labels.isEmpty && labels.allSatisfy { label in
            !label.isEmpty && label.count <= 63 && label.allSatisfy { $0.isASCII && ($0.isLowercase || $0.isNumber || $0 == "-") }
        }
        guard valid else {
            bag.error(.invalidValue, "`host` `\(host.value.truncatedForMessage)` is not a lower-case host name", at: host.location,
                      hint: "write the name without scheme or port, e.g. `api.forex.example` or `*.forex.example`")
            return nil
        }
        return host
    }

    private mutating func decodeGuards(_ node: YAMLNode) -> [RequestGuard] {
        guard let mapping = expectMapping(node, what: "`match`", example: "match:\n  headers: { x-region: eu }") else { return [] }
        let fields = Fields(mapping, allowed: SpecSchema.match, context: "`match`", bag: &bag)
        var guards: [RequestGuard] = []
        for (key, source) in [("headers", RequestGuard.Source.header), ("query", .query)] {
            guard let node = fields[key], let entries = expectMapping(node, what: "`\(key)`", example: "\(key): { x-region: eu }") else { continue }
            for entry in entries.entries {
                var name = entry.key.value
                if source == .header {
                    guard let header = headerName(entry.key, what: "header") else { continue }
                    name = header
                }
                guard let test = guardTest(entry.value) else { continue }
                guards.append(RequestGuard(source: source, name: name, test: test, location: entry.key.location))
            }
        }
        return guards
    }

    /// `true` means present, `false` absent, a value or list means one of those values.
    private mutating func guardTest(_ node: YAMLNode) -> RequestGuard.Test? {
        if case .scalar(let scalar) = node, scalar.style == .plain, scalar.value == "true" || scalar.value == "false" {
            return scalar.value == "true" ? .present : .absent
        }
        let values = strings(node, what: "a match value", example: "eu, [eu, uk], true (present) or false (absent)")
        return values.isEmpty ? nil : .oneOf(values.map(\.value))
    }

    private mutating func decodeTarget(_ fields: Fields, context: String, at location: SourceLocation) -> RouteTarget? {
        switch (fields["to"], fields["respond"]) {
        case (let to?, nil):
            return decodeUpstream(to).map(RouteTarget.upstream)
        case (nil, let respond?):
            return decodeFixedResponse(respond).map(RouteTarget.fixed)
        case (let to?, _?):
            bag.error(.conflictingKeys, "\(context) has both `to` and `respond`", at: fields.keyLocation("respond") ?? location,
                      hint: "a route either proxies to a service (`to`) or answers itself (`respond`)")
            return decodeUpstream(to).map(RouteTarget.upstream)
        case (nil, nil):
            bag.error(.missingKey, "\(context) has neither `to` nor `respond`", at: location,
                      hint: "add `to: SERVICE /path` to proxy, or `respond: { status: 200 }` to answer directly")
        }
        return nil
    }

    /// `SERVICE`, `SERVICE /path/{param}`, or `{ service: ..., path: ... }`.
    private mutating func decodeUpstream(_ node: YAMLNode) -> UpstreamTarget? {
        var service: Located<String>?
        var pathScalar: (YAMLScalar, offset: Int, text: String)?
        switch node {
        case .mapping(let mapping):
            let fields = Fields(mapping, allowed: SpecSchema.routeTarget, context: "`to`", bag: &bag)
            service = required(fields, "service", in: "`to`", at: mapping.location, hint: "add `service: NAME`") {
                $0.string($1, what: "`service`", example: "pricing")
            }
            if let node = fields["path"], let scalar = scalar(node, what: "`path`", example: "/quotes/{pair}") {
                pathScalar = (scalar, 0, scalar.value)
            }
        default:
            guard let scalar = scalar(node, what: "`to`", example: "pricing /quotes/{pair}") else { return nil }
            let words = scalar.value.split(separator: " ", maxSplits: 1)
            service = Located(String(words[0]), at: scalar.location)
            if words.count == 2 {
                pathScalar = (scalar, scalar.value.distance(from: scalar.value.startIndex, to: words[1].startIndex), String(words[1]))
            }
        }
        guard let service else { return nil }
        var path: UpstreamPath?
        if let (scalar, offset, text) = pathScalar {
            guard let parsed = upstreamPath(text, locate: { scalar.location(ofOffset: offset + $0) }) else { return nil }
            path = parsed
        }
        return UpstreamTarget(service: service, path: path, location: node.location)
    }

    private mutating func upstreamPath(_ text: String, locate: (Int) -> SourceLocation) -> UpstreamPath? {
        guard text.hasPrefix("/") else {
            bag.error(.invalidValue, "upstream path must start with `/`", at: locate(0), hint: "e.g. `to: pricing /quotes/{pair}`")
            return nil
        }
        var parts: [UpstreamPath.Part] = []
        var literal = ""
        var index = text.startIndex
        while index < text.endIndex {
            let character = text[index]
            if character == "{" {
                let offset = text.distance(from: text.startIndex, to: index)
                guard let close = text[index...].firstIndex(of: "}") else {
                    bag.error(.invalidValue, "`{` in the upstream path is not closed", at: locate(offset), hint: "write `{param}`")
                    return nil
                }
                let name = String(text[text.index(after: index)..<close])
                guard PathTemplateParser.isIdentifier(name) else {
                    bag.error(.invalidValue, "`{\(name)}` in the upstream path must name a path parameter", at: locate(offset),
                              hint: "write the parameter's name only, without its constraint, e.g. `{pair}`")
                    return nil
                }
                if !literal.isEmpty { parts.append(.literal(literal)) }
                literal = ""
                parts.append(.parameter(name, locate(offset)))
                index = text.index(after: close)
                continue
            }
            if character == " " || character == "?" || character == "#" || character == "%" || character == "\\" {
                bag.error(.invalidValue, "`\(character)` cannot appear in an upstream path", at: locate(text.distance(from: text.startIndex, to: index)),
                          hint: "an upstream path is `/segments/{param}` without spaces, query or fragment")
                return nil
            }
            literal.append(character)
            index = text.index(after: index)
        }
        if !literal.isEmpty { parts.append(.literal(literal)) }
        return UpstreamPath(parts: parts)
    }
}
