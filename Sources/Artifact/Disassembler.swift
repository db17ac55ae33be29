/// Prints an artifact as stable text: the header, the routing tree, the tables, and
/// every route's program, one instruction per line with its spec location. The text
/// depends only on the artifact, so it can be golden-tested and diffed in review.
public struct Disassembler: Sendable {
    public let artifact: Artifact

    public init(_ artifact: Artifact) {
        self.artifact = artifact
    }

    public func text() -> String {
        var out = ""
        header(&out)
        tree(&out)
        tables(&out)
        programs(&out)
        return out
    }

    private func header(_ out: inout String) {
        out += "; gateway artifact: \(artifact.settings.name)\n"
        if let header = artifact.header {
            out += "format \(header.formatVersion), compiler \(header.compilerVersion), body sha256 \(header.hashHex)\n"
            out += "signature: \(header.isSigned ? "ed25519" : "none")\n"
        }
        out += "\(artifact.routes.count) routes, \(artifact.code.count) instructions, \(artifact.constants.count) constants, "
        out += "\(artifact.strings.count) strings, \(artifact.routing.nodes.count) tree nodes\n"
    }

    // MARK: Routing tree

    private func tree(_ out: inout String) {
        out += "\n== routing tree\n"
        for host in artifact.routing.hosts {
            let name = switch host.kind {
            case .any: "host *"
            case .exact: "host \(host.pattern)"
            case .wildcard: "host *.\(host.pattern)"
            }
            out += name + "\n"
            node(Int(host.root), label: "/", depth: 1, &out)
        }
    }

    private func node(_ index: Int, label: String, depth: Int, _ out: inout String) {
        let table = artifact.routing
        let node = table.nodes[index]
        let indent = String(repeating: "  ", count: depth)
        let leaves = table.leaves[Int(node.leafStart)..<Int(node.leafStart + node.leafCount)].map { leaf in
            let guards = leaf.guardCount > 0 ? " if \(guardText(leaf))" : ""
            return "\(MethodSet(rawValue: leaf.methods.rawValue).description) -> route \(leaf.route)\(guards)"
        }
        out += indent + label + (leaves.isEmpty ? "" : "  => " + leaves.joined(separator: "; ")) + "\n"
        for edge in table.staticEdges[Int(node.staticStart)..<Int(node.staticStart + node.staticCount)] {
            self.node(Int(edge.child), label: table.label(edge), depth: depth + 1, &out)
        }
        for edge in table.dynamicEdges[Int(node.dynamicStart)..<Int(node.dynamicStart + node.dynamicCount)] {
            let text = switch edge.kind {
            case .constrained: "{:\(table.matchers[Int(edge.matcher)].source)}"
            case .parameter: "{}"
            case .wildcard: "{...}"
            }
            self.node(Int(edge.child), label: text, depth: depth + 1, &out)
        }
    }

    private func guardText(_ leaf: RoutingTable.Leaf) -> String {
        artifact.routing.guards[Int(leaf.guardStart)..<Int(leaf.guardStart + leaf.guardCount)].map { rule in
            let source = rule.source == .header ? "header" : "query"
            return switch rule.test {
            case .present: "\(source) \(rule.name) present"
            case .absent: "\(source) \(rule.name) absent"
            case .oneOf: "\(source) \(rule.name) in [\(rule.values.joined(separator: ", "))]"
            }
        }.joined(separator: " and ")
    }

    // MARK: Tables

    private func tables(_ out: inout String) {
        out += "\n== services\n"
        for (index, service) in artifact.services.enumerated() {
            out += "\(index) "
            serviceLine(service, &out)
            out += "\n"
        }
        out += "\n== auth\n"
        for (index, issuer) in artifact.auth.issuers.enumerated() { out += issuerLine(issuer, index) + "\n" }
        if let keys = artifact.auth.apiKeys { out += apiKeysLine(keys) + "\n" }
        out += "\n== roles\n"
        for role in artifact.roles {
            out += "\(role.name) [\(role.permissions.joined(separator: ", "))]\(role.limit.map { " limit \($0)" } ?? "")\n"
        }
        out += "\n== limits\n"
        for (index, limit) in artifact.limits.enumerated() {
            out += "\(index) \(limit.count)/\(limit.periodMilliseconds)ms burst \(limit.burst) per \(limit.key.name) (\(limit.scope))\(limit.failClosed ? ", closed when the store is down" : "")\n"
        }
        out += "\n== constants\n"
        for (index, constant) in artifact.constants.enumerated() { out += "\(index) \(constant)\n" }
    }

    private func issuerLine(_ issuer: AuthSettings.Issuer, _ index: Int) -> String {
        var line = "issuer \(index + 1) \(issuer.name) iss=\(issuer.issuer) aud=[\(issuer.audiences.joined(separator: ","))] alg=[\(issuer.algorithms.joined(separator: ","))] keys=\(issuer.keyReference)"
        line += " leeway=\(issuer.leewayMilliseconds)ms sub=\(issuer.subjectClaim)"
        if let roles = issuer.rolesClaim { line += " roles=\(roles)" }
        if let cookie = issuer.cookie { line += " cookie=\(cookie)" }
        return line
    }

    private func apiKeysLine(_ keys: AuthSettings.APIKeys) -> String {
        "api-keys header=\(keys.header) store=\(keys.storeReference) pepper=\(keys.pepperReference) plans=[\(keys.plans.map { "\($0.name):limit \($0.limit)" }.joined(separator: ", "))]"
    }

    private func serviceLine(_ service: ServiceEntry, _ out: inout String) {
        let endpoints = service.endpoints.map { "\($0.https ? "https" : "http")://\($0.host):\($0.port)\($0.basePath)" }
        out += "\(service.name) [\(endpoints.joined(separator: ", "))] \(service.balance == .leastRequest ? "least-request" : "round-robin")"
        out += " connect=\(service.connectTimeoutMilliseconds)ms timeout=\(service.timeoutMilliseconds)ms"
        if let retry = service.retry {
            let on = (retry.onConnectError ? ["connect-error"] : []) + (retry.onTimeout ? ["timeout"] : []) + retry.onStatuses.map(String.init)
            out += " retry=\(retry.attempts)x[\(on.joined(separator: ","))]\(retry.idempotentOnly ? " idempotent" : "") budget=\(retry.budgetPercent)%"
        }
        if let health = service.health { out += " health=\(health.path)@\(health.everyMilliseconds)ms" }
        if let breaker = service.breaker { out += " breaker=\(breaker.failures)/\(breaker.cooldownMilliseconds)ms" }
    }

    // MARK: Programs

    private func programs(_ out: inout String) {
        out += "\n== routes\n"
        for (index, route) in artifact.routes.enumerated() {
            out += "\nroute \(index) \(route.key)\(route.host.map { " host \($0)" } ?? "")  ; \(artifact.strings[Int(route.location.file)]):\(route.location.line)\n"
            var flags = [route.isPublic ? "public" : "authenticated", "timeout=\(route.timeoutMilliseconds)ms", "body<=\(route.bodyLimit)"]
            if route.envelope { flags.append("envelope") }
            if let cors = route.cors { flags.append("cors=\(cors)") }
            if let path = route.upstreamPath { flags.append("upstream=" + upstreamText(path, route)) }
            out += "  " + flags.joined(separator: " ") + "\n"
            for pc in Int(route.programStart)..<Int(route.programStart + route.programLength) {
                out += "  " + line(pc, route: route) + "\n"
            }
        }
    }

    func upstreamText(_ parts: [RouteEntry.PathPart], _ route: RouteEntry) -> String {
        parts.map { part in
            switch part {
            case .literal(let text): text
            case .parameter(let index): "{\(route.parameters.indices.contains(Int(index)) ? route.parameters[Int(index)] : "?")}"
            }
        }.joined()
    }

    /// `0012  REQUIRE_ROLES  #3 ["trader", "viewer"]    ; specs/routes.yaml:8:12`
    public func line(_ pc: Int, route: RouteEntry) -> String {
        let instruction = artifact.code[pc]
        let info = instruction.opcode.info
        let operands = [(info.a, instruction.a), (info.b, instruction.b)].filter { $0.0 != .none }.map { operand($0.0, $0.1, route) }
        let text = "\(String(pc).leftPadded(to: 4))  \(info.mnemonic.padding(20)) \(operands.joined(separator: ", "))"
        return text.padding(72) + " ; " + artifact.location(artifact.lines[pc])
    }

    /// A route's behaviour as text with no instruction numbers or spec locations, so
    /// two artifacts compare equal when they behave the same (used by `ArtifactDiff`).
    public func semanticLines(for route: RouteEntry) -> [String] {
        var flags = [route.isPublic ? "public" : "authenticated", "timeout \(route.timeoutMilliseconds)ms", "body limit \(route.bodyLimit)"]
        if route.envelope { flags.append("envelope") }
        flags.append("cors " + (route.cors.map { corsText(artifact.settings.cors[Int($0)]) } ?? "off"))
        if let path = route.upstreamPath { flags.append("upstream path " + upstreamText(path, route)) }
        let start = Int(route.programStart)
        return ["route settings: " + flags.joined(separator: ", ")] + (start..<(start + Int(route.programLength))).map { pc in
            let instruction = artifact.code[pc]
            let info = instruction.opcode.info
            let operands = [(info.a, instruction.a), (info.b, instruction.b)].filter { $0.0 != .none }.map { kind, value in
                switch kind {
                case .target: "+\(Int(value) - start)"
                case .limit: artifact.limits.indices.contains(Int(value)) ? limitText(artifact.limits[Int(value)]) : "?"
                case .constant: artifact.constants.indices.contains(Int(value)) ? artifact.constants[Int(value)].description : "?"
                default: operand(kind, value, route)
                }
            }
            return ([info.mnemonic] + operands).joined(separator: " ")
        }
    }

    func corsText(_ cors: GatewaySettings.CORS) -> String {
        "[\(cors.origins.joined(separator: " "))]\(cors.credentials ? " with credentials" : "")"
    }

    /// One line per service, role, limit family and gateway setting, keyed by name.
    public func namedTables() -> [String: String] {
        var result: [String: String] = [:]
        for (index, issuer) in artifact.auth.issuers.enumerated() { result["auth \(issuer.name)"] = issuerLine(issuer, index) }
        if let keys = artifact.auth.apiKeys { result["auth api-keys"] = apiKeysLine(keys) }
        for service in artifact.services {
            var line = ""
            serviceLine(service, &line)
            result["service \(service.name)"] = line
        }
        for role in artifact.roles {
            let limit = role.limit.map { limitText(artifact.limits[Int($0)]) } ?? "no limit"
            result["role \(role.name)"] = "[\(role.permissions.joined(separator: ", "))], \(limit)"
        }
        result["security headers"] = artifact.settings.securityHeaders.map { "\($0.name): \($0.value)" }.joined(separator: "; ")
        let d = artifact.settings.defaults
        result["defaults"] = "timeout \(d.timeoutMilliseconds)ms, connect \(d.connectTimeoutMilliseconds)ms, body \(d.bodyLimit), head \(d.headerLimit), header timeout \(d.headerTimeoutMilliseconds)ms, idle \(d.idleTimeoutMilliseconds)ms, connections \(d.maxConnections)"
        return result
    }

    func limitText(_ limit: LimitEntry) -> String {
        "\(limit.count)/\(limit.periodMilliseconds)ms burst \(limit.burst) per \(limit.key.name)"
    }

    private func operand(_ kind: Opcode.Operand, _ value: UInt32, _ route: RouteEntry) -> String {
        let v = Int(value)
        switch kind {
        case .none: return ""
        case .authenticators:
            var names: [String] = []
            if value & 1 != 0 { names.append("api-key") }
            for (index, issuer) in artifact.auth.issuers.enumerated() where value & (1 << UInt32(index + 1)) != 0 { names.append(issuer.name) }
            return "[\(names.joined(separator: ", "))]"
        case .flag: return value == 1 ? "required" : "optional"
        case .constant: return artifact.constants.indices.contains(v) ? "#\(v) \(artifact.constants[v])" : "#\(v) ?"
        case .string: return artifact.strings.indices.contains(v) ? "\"\(artifact.strings[v])\"" : "$\(v) ?"
        case .attribute: return Attribute(rawValue: value)?.path ?? "attr \(v)"
        case .parameter: return route.parameters.indices.contains(v) ? "\(route.parameters[v])" : "param \(v)"
        case .target: return "-> \(String(v).leftPadded(to: 4))"
        case .limit:
            guard artifact.limits.indices.contains(v) else { return "limit \(v)" }
            return "limit \(v) (\(limitText(artifact.limits[v])))"
        case .csrf:
            guard artifact.settings.csrf.indices.contains(v) else { return "csrf \(v)" }
            let csrf = artifact.settings.csrf[v]
            return csrf.doubleSubmit ? "double-submit \(csrf.cookie)/\(csrf.header)" : "origin [\(csrf.trustedOrigins.joined(separator: " "))]"
        case .status: return "\(v)"
        case .size: return "\(v) bytes"
        case .route: return route.upstreamPath.map { upstreamText($0, route) } ?? "route \(v)"
        case .fixedResponse:
            guard artifact.settings.fixedResponses.indices.contains(v) else { return "response \(v)" }
            let response = artifact.settings.fixedResponses[v]
            return "\(response.status) \(response.contentType ?? "-") \(String(decoding: response.body, as: UTF8.self))"
        case .service: return artifact.services.indices.contains(v) ? artifact.services[v].name : "service \(v)"
        case .milliseconds: return "\(v)ms"
        }
    }
}

extension String {
    func padding(_ width: Int) -> String {
        count >= width ? self : self + String(repeating: " ", count: width - count)
    }
}
