import Foundation
import GatewayDSL
import Runtime

/// Reads golden case files (docs/golden-files.md), reporting problems as spec
/// diagnostics with file, line and column.
public struct GoldenFileReader {
    public private(set) var bag = DiagnosticBag()
    /// Monday 2026-01-05 12:00 UTC: market open, so cases do not depend on today.
    public static let defaultClock: Int64 = 1_767_614_400_000

    public init() {}

    public mutating func read(_ bytes: [UInt8], file: String) -> [GoldenCase] {
        let result = YAMLReader().read(bytes, file: file)
        bag.append(contentsOf: result.diagnostics)
        guard let root = result.root, let top = mapping(root, "a golden file") else { return [] }
        let allowed = ["defaults", "cases"]
        for entry in top.entries where !allowed.contains(entry.key.value) { unknown(entry.key, allowed) }
        var defaults = Defaults()
        if let node = top["defaults"], let mapping = mapping(node, "`defaults`") {
            for entry in mapping.entries where !["clock", "headers"].contains(entry.key.value) { unknown(entry.key, ["clock", "headers"]) }
            if let clock = mapping["clock"] { defaults.clock = timestamp(clock) ?? defaults.clock }
            if let headers = mapping["headers"] { defaults.headers = self.headers(headers) }
        }
        guard let casesNode = top["cases"], let cases = mapping(casesNode, "`cases`") else {
            bag.error(.missingKey, "a golden file has no `cases`", at: root.location, hint: "add `cases:` with named cases")
            return []
        }
        return cases.entries.compactMap { entry in goldenCase(entry.key, entry.value, defaults) }
    }

    struct Defaults {
        var clock = GoldenFileReader.defaultClock
        var headers: [Header] = []
    }

    static let caseKeys = ["description", "clock", "principal", "request", "upstream", "response", "steps"]
    static let stepKeys = ["clock", "after", "principal", "request", "upstream", "response"]

    private mutating func goldenCase(_ key: YAMLScalar, _ node: YAMLNode, _ defaults: Defaults) -> GoldenCase? {
        guard let fields = mapping(node, "case `\(key.value)`") else { return nil }
        for entry in fields.entries where !Self.caseKeys.contains(entry.key.value) { unknown(entry.key, Self.caseKeys) }
        var clock = defaults.clock
        if let node = fields["clock"] { clock = timestamp(node) ?? clock }
        var steps: [GoldenCase.Step] = []
        if let stepsNode = fields["steps"] {
            guard case .sequence(let list) = stepsNode else {
                bag.error(.wrongType, "`steps` must be a list", at: stepsNode.location, hint: "write `steps: [{ request: ..., response: ... }]`")
                return nil
            }
            var casePrincipal: Principal?
            if let node = fields["principal"] { casePrincipal = principal(node) }
            for item in list.items {
                guard let step = mapping(item, "a step") else { continue }
                for entry in step.entries where !Self.stepKeys.contains(entry.key.value) { unknown(entry.key, Self.stepKeys) }
                if let node = step["clock"] { clock = timestamp(node) ?? clock }
                if let node = step["after"] { clock += duration(node) ?? 0 }
                let who = step["principal"].flatMap { principal($0) } ?? casePrincipal
                if let built = self.step(step, clock: clock, principal: who, defaults: defaults, at: item.location) { steps.append(built) }
            }
        } else if let built = step(fields, clock: clock, principal: fields["principal"].flatMap { principal($0) }, defaults: defaults, at: key.location) {
            steps.append(built)
        }
        let description = fields["description"].flatMap { node -> String? in if case .scalar(let s) = node { return s.value }; return nil }
        return steps.isEmpty ? nil : GoldenCase(name: key.value, description: description, location: key.location, steps: steps)
    }

    private mutating func step(_ fields: YAMLMapping, clock: Int64, principal: Principal?, defaults: Defaults, at location: SourceLocation) -> GoldenCase.Step? {
        guard let requestNode = fields["request"], let request = mapping(requestNode, "`request`") else {
            bag.error(.missingKey, "a case needs a `request`", at: location, hint: "add `request: { method: GET, path: /... }`")
            return nil
        }
        guard let responseNode = fields["response"], let response = mapping(responseNode, "`response`") else {
            bag.error(.missingKey, "a case needs the expected `response`", at: location, hint: "add `response: { status: 200 }`")
            return nil
        }
        for entry in request.entries where !["method", "path", "headers", "client"].contains(entry.key.value) {
            unknown(entry.key, ["method", "path", "headers", "client"])
        }
        let method = request["method"].flatMap { string($0) } ?? "GET"
        let path = request["path"].flatMap { string($0) } ?? "/"
        var headers = defaults.headers.filter { header in !(request["headers"].map { self.headers($0) } ?? []).contains { $0.name == header.name } }
        headers += request["headers"].map { self.headers($0) } ?? []
        let head = RequestHead(method: method, target: path, headers: headers.map { ($0.name, $0.value) },
                               clientAddress: request["client"].flatMap { string($0) } ?? "198.51.100.7")
        return GoldenCase.Step(clock: clock, principal: principal, request: head,
                               upstream: fields["upstream"].flatMap { upstream($0) }, response: expectedResponse(response), location: location)
    }

    private mutating func upstream(_ node: YAMLNode) -> GoldenCase.ExpectedUpstream? {
        guard let fields = mapping(node, "`upstream`") else { return nil }
        let keys = ["service", "method", "path", "headers", "absent", "reply"]
        for entry in fields.entries where !keys.contains(entry.key.value) { unknown(entry.key, keys) }
        var reply = GatewayResponse(status: 200, headers: [Header("content-type", "application/json")], body: Array("{}".utf8))
        var failure: Engine.UpstreamFailure?
        if let node = fields["reply"], let replyFields = mapping(node, "`reply`") {
            for entry in replyFields.entries where !["status", "headers", "body", "json", "failure"].contains(entry.key.value) {
                unknown(entry.key, ["status", "headers", "body", "json", "failure"])
            }
            if let node = replyFields["failure"], let text = string(node) {
                switch text {
                case "bad-gateway": failure = .badGateway
                case "unavailable": failure = .unavailable
                case "timeout": failure = .timeout
                default:
                    bag.error(.invalidValue, "`failure` must be `bad-gateway`, `unavailable` or `timeout`", at: node.location,
                              hint: Suggestions.closest(to: text, in: ["bad-gateway", "unavailable", "timeout"]).map { "did you mean `\($0)`?" })
                }
            }
            reply.status = replyFields["status"].flatMap { integer($0) } ?? 200
            if let headers = replyFields["headers"] { reply.headers = self.headers(headers) }
            if let body = replyFields["body"].flatMap({ string($0) }) { reply.body = Array(body.utf8) }
            if let json = replyFields["json"] { reply.body = Array(JSONValue.from(json).description.utf8) }
        }
        return GoldenCase.ExpectedUpstream(
            service: fields["service"].flatMap { string($0) }, method: fields["method"].flatMap { string($0) },
            target: fields["path"].flatMap { string($0) }, headers: fields["headers"].map { headers($0) } ?? [],
            absent: fields["absent"].map { strings($0).map { $0.lowercased() } } ?? [], reply: reply, failure: failure)
    }

    private mutating func expectedResponse(_ fields: YAMLMapping) -> GoldenCase.ExpectedResponse {
        let keys = ["status", "headers", "absent", "body", "json"]
        for entry in fields.entries where !keys.contains(entry.key.value) { unknown(entry.key, keys) }
        return GoldenCase.ExpectedResponse(
            status: fields["status"].flatMap { integer($0) } ?? 200, headers: fields["headers"].map { headers($0) } ?? [],
            absent: fields["absent"].map { strings($0).map { $0.lowercased() } } ?? [],
            body: fields["body"].flatMap { string($0) }, json: fields["json"].map { JSONValue.from($0) })
    }

    private mutating func principal(_ node: YAMLNode) -> Principal? {
        guard let fields = mapping(node, "`principal`") else { return nil }
        let keys = ["id", "roles", "scopes", "method", "claims", "plan", "cookie"]
        for entry in fields.entries where !keys.contains(entry.key.value) { unknown(entry.key, keys) }
        var claims: [String: String] = [:]
        if let node = fields["claims"], let map = mapping(node, "`claims`") {
            for entry in map.entries { claims[entry.key.value] = string(entry.value) ?? "" }
        }
        let method: Principal.Method = fields["method"].flatMap { string($0) } == "api-key" ? .apiKey : .jwt
        return Principal(id: fields["id"].flatMap { string($0) } ?? "user-1", roles: fields["roles"].map { strings($0) } ?? [],
                         scopes: fields["scopes"].map { strings($0) } ?? [], method: method, claims: claims,
                         plan: fields["plan"].flatMap { string($0) }, viaCookie: fields["cookie"].flatMap { string($0) } == "true")
    }

    // MARK: Values

    private mutating func mapping(_ node: YAMLNode, _ what: String) -> YAMLMapping? {
        if case .mapping(let mapping) = node { return mapping }
        bag.error(.wrongType, "\(what) must be a mapping, but found \(node.kindDescription)", at: node.location, hint: nil)
        return nil
    }

    private mutating func string(_ node: YAMLNode) -> String? {
        if case .scalar(let scalar) = node { return scalar.value }
        bag.error(.wrongType, "expected a single value, found \(node.kindDescription)", at: node.location, hint: nil)
        return nil
    }

    private mutating func strings(_ node: YAMLNode) -> [String] {
        if case .sequence(let list) = node { return list.items.compactMap { string($0) } }
        return string(node).map { [$0] } ?? []
    }

    private mutating func integer(_ node: YAMLNode) -> Int? {
        guard let text = string(node), let value = Int(text) else {
            bag.error(.invalidValue, "expected a whole number", at: node.location, hint: nil)
            return nil
        }
        return value
    }

    private mutating func headers(_ node: YAMLNode) -> [Header] {
        guard let fields = mapping(node, "`headers`") else { return [] }
        return fields.entries.compactMap { entry in string(entry.value).map { Header(entry.key.value, $0) } }
    }

    private mutating func duration(_ node: YAMLNode) -> Int64? {
        guard let text = string(node), let value = SpecDuration(parsing: text) else {
            bag.error(.invalidValue, "expected a duration such as `1s` or `250ms`", at: node.location, hint: nil)
            return nil
        }
        return value.milliseconds
    }

    /// `2026-01-05T12:00:00Z`.
    private mutating func timestamp(_ node: YAMLNode) -> Int64? {
        guard let text = string(node), let value = Self.parseTimestamp(text) else {
            bag.error(.invalidValue, "expected a UTC time such as `2026-01-09T21:59:00Z`", at: node.location, hint: nil)
            return nil
        }
        return value
    }

    public static func parseTimestamp(_ text: String) -> Int64? { Timestamp.parse(text) }

    private mutating func unknown(_ key: YAMLScalar, _ allowed: [String]) {
        bag.error(.unknownKey, "unknown key `\(key.value)` in a golden case", at: key.location, hint: Suggestions.hint(for: key.value, in: allowed))
    }
}

extension JSONValue {
    /// The JSON a YAML value stands for (plain scalars typed as in specs).
    static func from(_ node: YAMLNode) -> JSONValue {
        switch node {
        case .sequence(let list): return .array(list.items.map(from))
        case .mapping(let map): return .object(map.entries.map { ($0.key.value, from($0.value)) })
        case .scalar(let scalar):
            guard scalar.style == .plain else { return .string(scalar.value) }
            if scalar.isNull { return .null }
            if scalar.value == "true" || scalar.value == "false" { return .bool(scalar.value == "true") }
            if Double(scalar.value) != nil, scalar.value.allSatisfy({ $0.isNumber || ".-+eE".contains($0) }) { return .number(scalar.value) }
            return .string(scalar.value)
        }
    }
}
