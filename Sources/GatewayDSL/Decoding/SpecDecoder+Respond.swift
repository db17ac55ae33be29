extension SpecDecoder {
    /// `respond: { status: 200, json: {...} | text: "...", headers: {...} }`.
    mutating func decodeFixedResponse(_ node: YAMLNode) -> FixedResponse? {
        guard let mapping = expectMapping(node, what: "`respond`", example: "respond: { status: 200, json: { status: ok } }") else { return nil }
        let fields = Fields(mapping, allowed: SpecSchema.respond, context: "`respond`", bag: &bag)
        let status = fields["status"].flatMap { integer($0, what: "`status`", range: 100...599) } ?? Located(200, at: mapping.location)
        var body = FixedResponse.Body.none
        switch (fields["json"], fields["text"]) {
        case (let json?, nil): body = .json(JSONText.canonical(json))
        case (nil, let text?): body = string(text, what: "`text`", example: "\"ok\"").map { .text($0.value) } ?? .none
        case (_?, _?):
            bag.error(.conflictingKeys, "`respond` takes `json` or `text`, not both", at: fields.keyLocation("text") ?? mapping.location, hint: nil)
        case (nil, nil): break
        }
        let forbidsBody = (100...199).contains(status.value) || status.value == 204 || status.value == 304
        if forbidsBody, body.hasContent {
            bag.error(.conflictingKeys, "status \(status.value) cannot carry a body", at: status.location, hint: "remove `json`/`text`, or use 200")
        }
        var headers: [(name: String, value: String)] = []
        if let node = fields["headers"], let entries = expectMapping(node, what: "`headers`", example: "headers: { Cache-Control: no-store }") {
            for entry in entries.entries {
                guard let name = headerName(entry.key, what: "header"), let value = headerValue(entry.value, what: "header `\(entry.key.value)`") else { continue }
                headers.append((name, value))
            }
        }
        return FixedResponse(status: status, body: body, headers: headers, location: mapping.location)
    }

    /// Tokens and private keys pasted anywhere in a spec are refused, wherever they sit.
    mutating func scanForInlineSecrets(_ root: YAMLNode) {
        var stack = [root]
        while let node = stack.popLast() {
            switch node {
            case .scalar(let scalar):
                if let kind = Self.secretKind(scalar.value) {
                    bag.error(.inlineSecret, "this value looks like \(kind) (the value is not shown)", at: scalar.location,
                              hint: "never commit credentials to a spec; reference them with `env:NAME` or `file:path`")
                }
            case .sequence(let sequence): stack.append(contentsOf: sequence.items)
            case .mapping(let mapping): stack.append(contentsOf: mapping.entries.map(\.value))
            }
        }
    }

    static func secretKind(_ value: String) -> String? {
        if value.contains("-----BEGIN") && value.contains("PRIVATE KEY") { return "a private key" }
        let parts = value.split(separator: ".", omittingEmptySubsequences: false)
        if parts.count == 3, value.hasPrefix("eyJ"), parts[1].hasPrefix("eyJ"), value.count > 30, !value.contains(" ") { return "a JSON Web Token" }
        return nil
    }
}

/// Canonical JSON text from YAML: object keys sorted, no spaces, so the same spec
/// always compiles to the same bytes.
/// JSON text: canonical JSON of a YAML value, and JSON string quoting, for every
/// module that writes JSON above the DSL (the runtime, which may not import it, has its own).
public enum JSONText {
    static func canonical(_ node: YAMLNode) -> String {
        var out = ""
        write(node, to: &out)
        return out
    }

    private static func write(_ node: YAMLNode, to out: inout String) {
        switch node {
        case .scalar(let scalar): out += scalarJSON(scalar)
        case .sequence(let sequence):
            out += "["
            for (index, item) in sequence.items.enumerated() {
                if index > 0 { out += "," }
                write(item, to: &out)
            }
            out += "]"
        case .mapping(let mapping):
            out += "{"
            for (index, entry) in mapping.entries.sorted(by: { $0.key.value < $1.key.value }).enumerated() {
                if index > 0 { out += "," }
                out += quoted(entry.key.value) + ":"
                write(entry.value, to: &out)
            }
            out += "}"
        }
    }

    private static func scalarJSON(_ scalar: YAMLScalar) -> String {
        guard scalar.style == .plain else { return quoted(scalar.value) }
        if scalar.isNull { return "null" }
        if scalar.value == "true" || scalar.value == "false" { return scalar.value }
        if Int64(scalar.value) != nil { return String(Int64(scalar.value) ?? 0) }
        if let number = Double(scalar.value), number.isFinite, scalar.value.allSatisfy({ $0.isNumber || ".-+eE".contains($0) }) {
            return scalar.value
        }
        return quoted(scalar.value)
    }

    /// `text` as a JSON string literal (also a valid double-quoted YAML scalar).
    public static func quoted(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where scalar.value < 0x20:
                let hex = String(scalar.value, radix: 16)
                out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }
}
