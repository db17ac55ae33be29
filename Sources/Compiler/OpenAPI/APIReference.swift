/// docs/api-reference.md: the OpenAPI document read back as Markdown, one section
/// per spec file and one entry per operation, for people rather than tools.
public struct APIReference: Sendable {
    let document: JSONTree

    public init(document: JSONTree) {
        self.document = document
    }

    public var markdown: String {
        let title = document["info"]?["title"]?.string ?? "gateway"
        var out = """
            # API reference: \(title)

            Generated from the specs by `gateway openapi specs --format markdown`: do not edit by hand.
            `swift test` fails when it is out of date (`GATEWAY_UPDATE_GOLDEN=1 swift test --filter OpenAPI` rewrites it).
            The machine-readable form is `gateway openapi specs` (OpenAPI 3.1).

            Every error the gateway answers itself is `application/problem+json` (RFC 9457) with `type`, `title`,
            `status`, `detail`, `instance` and `request_id`.

            """
        out += schemes()
        var groups: [String] = []
        var entries: [String: [String]] = [:]
        for (path, item) in document["paths"]?.members ?? [] {
            for (method, operation) in item.members {
                let tag = operation["tags"]?.items.first?.string ?? "routes"
                if entries[tag] == nil { groups.append(tag) }
                entries[tag, default: []].append(entry(method.uppercased(), path, operation))
            }
        }
        for group in groups {
            out += "\n## \(group)\n"
            for entry in entries[group] ?? [] { out += "\n" + entry }
        }
        return out
    }

    private func schemes() -> String {
        let schemes = document["components"]?["securitySchemes"]?.members ?? []
        guard !schemes.isEmpty else { return "" }
        var out = "\n## Authentication\n\n| scheme | how | |\n|---|---|---|\n"
        for (name, scheme) in schemes {
            let how = scheme["type"]?.string == "http" ? "`Authorization: Bearer <JWT>`"
                : "`\(scheme["name"]?.string ?? "?")` \(scheme["in"]?.string ?? "")"
            out += "| `\(name)` | \(how) | \(scheme["description"]?.string ?? "") |\n"
        }
        return out
    }

    private func entry(_ method: String, _ path: String, _ operation: JSONTree) -> String {
        var lines = ["### `\(method) \(path)`", ""]
        if let summary = operation["summary"]?.string, summary != operation["x-gateway-route"]?.string { lines += [summary, ""] }
        lines.append("- **Route**: `\(operation["x-gateway-route"]?.string ?? "")`")
        if let host = operation["servers"]?.items.first?["url"]?.string { lines.append("- **Host**: \(host)") }
        lines.append("- **Who**: " + access(operation["x-gateway-access"]))
        let security = operation["security"]?.items.flatMap { $0.members.map { "`\($0.0)`" } } ?? []
        if !security.isEmpty { lines.append("- **Credentials**: " + security.joined(separator: " or ")) }
        for limit in operation["x-gateway-rate-limits"]?.items ?? [] { lines.append("- **Rate limit**: " + Self.rate(limit)) }
        for condition in operation["x-gateway-conditions"]?.items ?? [] {
            let name = condition["policy"]?.string.map { "`\($0)`: " } ?? ""
            lines.append("- **Condition**: \(name)`\(condition["when"]?.string ?? "")`")
        }
        for parameter in operation["parameters"]?.items ?? [] { lines.append("- **Parameter**: " + Self.parameter(parameter)) }
        if let body = operation["requestBody"] {
            let types = body["content"]?.members.map { "`\($0.0)`" }.joined(separator: ", ") ?? ""
            lines.append("- **Body**: \(types), at most \(Self.integer(body["x-gateway-body-limit"])) bytes")
        }
        let responses = operation["responses"]?.members ?? []
        let success = responses.filter { $0.1["$ref"] == nil }.map { "\($0.0) (\($0.1["description"]?.string ?? ""))" }
        let errors = responses.filter { $0.1["$ref"] != nil }.map(\.0)
        lines.append("- **Answers**: " + (success + ["problem+json " + errors.joined(separator: ", ")]).joined(separator: "; "))
        if let upstream = operation["x-gateway-upstream"]?.string { lines.append("- **Upstream**: `\(upstream)`") }
        return lines.joined(separator: "\n") + "\n"
    }

    private func access(_ value: JSONTree?) -> String {
        if let text = value?.string { return text == "public" ? "anyone (public)" : "any authenticated caller" }
        var parts: [String] = []
        if let roles = value?["roles"]?.items.compactMap(\.string), !roles.isEmpty { parts.append("role " + roles.map { "`\($0)`" }.joined(separator: " or ")) }
        if let permissions = value?["permissions"]?.items.compactMap(\.string), !permissions.isEmpty {
            parts.append("permissions " + permissions.map { "`\($0)`" }.joined(separator: " and "))
        }
        let allowed = value?["roles-allowed"]?.items.compactMap(\.string) ?? []
        return parts.joined(separator: ", with ") + " (roles that pass: " + (allowed.isEmpty ? "none" : allowed.joined(separator: ", ")) + ")"
    }

    static func rate(_ limit: JSONTree) -> String {
        var text = "\(limit["rate"]?.string ?? "?") (burst \(integer(limit["burst"]))) per \(limit["per"]?.string ?? "?")"
        if limit["on-store-failure"]?.string == "closed" { text += ", refused while the shared store is down" }
        return text
    }

    static func parameter(_ parameter: JSONTree) -> String {
        let schema = parameter["schema"]
        var text = "`\(parameter["name"]?.string ?? "?")` in \(parameter["in"]?.string ?? "?")"
        if let values = schema?["enum"]?.items.compactMap(\.string) { text += ", one of " + values.map { "`\($0)`" }.joined(separator: ", ") }
        if let format = schema?["format"]?.string { text += ", \(format)" } else if let pattern = schema?["pattern"]?.string { text += ", matching `\(pattern)`" }
        if let note = parameter["description"]?.string { text += " (\(note))" }
        return text
    }

    static func integer(_ value: JSONTree?) -> String {
        if case .integer(let number) = value { return String(number) }
        return "?"
    }
}
