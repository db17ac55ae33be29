import GatewayDSL
import Runtime

/// Writes golden cases back with the expectations the gateway now meets
/// (`gateway test --update`). The case keeps its shape: the same headers checked,
/// the same `absent` lists, and `<any>` wherever it still matches; only values
/// change. Files are written in one canonical form, so review the diff.
struct GoldenWriter {
    /// One step's actual outcome.
    struct Actual {
        var upstream: UpstreamRequest?
        var response: GatewayResponse
    }

    static func file(_ cases: [(GoldenCase, [Actual])],
                     heading: String = "# Expectations rewritten by `gateway test --update`: review the diff before committing.") -> String {
        var out = heading + "\ncases:\n"
        for (goldenCase, actuals) in cases {
            out += "  \(key(goldenCase.name)):\n"
            if let description = goldenCase.description { out += "    description: \(quote(description))\n" }
            if goldenCase.steps.count == 1, let step = goldenCase.steps.first, let actual = actuals.first {
                out += emit(step, actual, indent: "    ")
            } else {
                out += "    steps:\n"
                for (step, actual) in zip(goldenCase.steps, actuals) {
                    out += "      - " + emit(step, actual, indent: "        ").dropFirst(8)
                }
            }
            out += "\n"
        }
        return out
    }

    private static func emit(_ step: GoldenCase.Step, _ actual: Actual, indent: String) -> String {
        var out = ""
        out += "\(indent)clock: \(timestamp(step.clock))\n"
        if let principal = step.principal {
            var fields = ["id: \(quote(principal.id))", "roles: [\(principal.roles.map(quote).joined(separator: ", "))]"]
            if principal.method == .apiKey { fields.append("method: api-key") }
            if !principal.claims.isEmpty { fields.append("claims: { " + principal.claims.sorted { $0.key < $1.key }.map { "\(key($0.key)): \(quote($0.value))" }.joined(separator: ", ") + " }") }
            if let plan = principal.plan { fields.append("plan: \(quote(plan))") }
            out += "\(indent)principal: { \(fields.joined(separator: ", ")) }\n"
        }
        var request = ["method: \(step.request.method)", "path: \(quote(step.request.target))"]
        if !step.request.headers.isEmpty { request.append("headers: " + headers(step.request.headers.map { Header($0.name, $0.value) })) }
        if step.request.clientAddress != "198.51.100.7" { request.append("client: \(quote(step.request.clientAddress))") }
        out += "\(indent)request: { \(request.joined(separator: ", ")) }\n"
        if let expected = step.upstream, let upstream = actual.upstream {
            var fields: [String] = []
            if expected.service != nil { fields.append("service: \(quote(upstream.serviceName))") }
            if expected.method != nil { fields.append("method: \(upstream.method)") }
            if expected.target != nil { fields.append("path: \(quote(upstream.target))") }
            let checked = keep(expected.headers, upstream.headers)
            if !checked.isEmpty { fields.append("headers: " + headers(checked)) }
            let absent = expected.absent.filter { name in !upstream.headers.contains { $0.name == name } }
            if !absent.isEmpty { fields.append("absent: [\(absent.joined(separator: ", "))]") }
            if let failure = expected.failure {
                let name = switch failure {
                case .badGateway: "bad-gateway"
                case .unavailable: "unavailable"
                case .timeout: "timeout"
                }
                fields.append("reply: { failure: \(name) }")
            } else {
                fields.append("reply: { status: \(expected.reply.status), headers: \(headers(expected.reply.headers)), body: \(quote(String(decoding: expected.reply.body, as: UTF8.self))) }")
            }
            out += "\(indent)upstream: { \(fields.joined(separator: ", ")) }\n"
        }
        let expected = step.response
        let response = actual.response
        var fields = ["status: \(response.status)"]
        let checked = keep(expected.headers, response.headers)
        if !checked.isEmpty { fields.append("headers: " + headers(checked)) }
        let absent = expected.absent.filter { name in !response.headers.contains { $0.name == name } }
        if !absent.isEmpty { fields.append("absent: [\(absent.joined(separator: ", "))]") }
        if expected.body != nil { fields.append("body: \(quote(response.bodyText))") }
        if let json = expected.json {
            if let parsed = JSONParser.parse(response.body) {
                fields.append("json: \(yaml(merge(json, parsed)))")
            } else {
                fields.append("body: \(quote(response.bodyText))")
            }
        }
        out += "\(indent)response: { \(fields.joined(separator: ", ")) }\n"
        return out
    }

    /// The headers the case checked, with today's values (`<any>` kept when still present).
    private static func keep(_ expected: [Header], _ actual: [Header]) -> [Header] {
        expected.compactMap { header in
            guard let value = actual.first(where: { $0.name == header.name })?.value else { return nil }
            return Header(header.name, header.value == "<any>" ? "<any>" : value)
        }
    }

    /// The actual JSON, keeping `<any>` where the expectation had it.
    private static func merge(_ expected: JSONValue, _ actual: JSONValue) -> JSONValue {
        if case .string("<any>") = expected { return expected }
        switch (expected, actual) {
        case (.object(let e), .object(let a)):
            let old = Dictionary(e, uniquingKeysWith: { x, _ in x })
            return .object(a.map { key, value in (key, old[key].map { merge($0, value) } ?? value) })
        case (.array(let e), .array(let a)) where e.count == a.count:
            return .array(zip(e, a).map(merge))
        default:
            return actual
        }
    }

    private static func yaml(_ value: JSONValue) -> String {
        switch value {
        case .null: "null"
        case .bool(let flag): "\(flag)"
        case .number(let text): text
        case .string(let text): quote(text)
        case .array(let items): "[" + items.map(yaml).joined(separator: ", ") + "]"
        case .object(let fields): "{ " + fields.map { "\(key($0.0)): \(yaml($0.1))" }.joined(separator: ", ") + " }"
        }
    }

    private static func headers(_ headers: [Header]) -> String {
        "{ " + headers.map { "\(key($0.name)): \(quote($0.value))" }.joined(separator: ", ") + " }"
    }

    private static func key(_ text: String) -> String {
        text.allSatisfy { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" } ? text : quote(text)
    }

    /// A double-quoted YAML scalar (JSON string syntax is valid YAML).
    private static func quote(_ text: String) -> String { JSONText.quoted(text) }

    private static func timestamp(_ milliseconds: Int64) -> String {
        let date = CivilDate(daysSinceEpoch: milliseconds / 86_400_000)
        let seconds = (milliseconds / 1_000) % 86_400
        func two(_ value: Int64) -> String { value < 10 ? "0\(value)" : "\(value)" }
        return "\(date.year)-\(two(date.month))-\(two(date.day))T\(two(seconds / 3_600)):\(two((seconds / 60) % 60)):\(two(seconds % 60))Z"
    }
}
