import GatewayDSL

/// A JSON value built in order, printed with two-space indentation: the OpenAPI
/// document reads in the order it was written, so its diff in review is stable.
public indirect enum JSONTree: Sendable, Equatable {
    case string(String)
    case integer(Int64)
    case bool(Bool)
    case array([JSONTree])
    case object([(String, JSONTree)])

    public static func == (lhs: JSONTree, rhs: JSONTree) -> Bool { lhs.pretty == rhs.pretty }

    /// An object's member.
    public subscript(_ key: String) -> JSONTree? {
        guard case .object(let members) = self else { return nil }
        return members.first { $0.0 == key }?.1
    }

    public var string: String? { if case .string(let text) = self { return text }; return nil }
    public var items: [JSONTree] { if case .array(let items) = self { return items }; return [] }
    public var members: [(String, JSONTree)] { if case .object(let members) = self { return members }; return [] }

    public var pretty: String {
        var out = ""
        write(&out, indent: "")
        return out + "\n"
    }

    private func write(_ out: inout String, indent: String) {
        switch self {
        case .string(let text): Self.quote(text, into: &out)
        case .integer(let number): out += String(number)
        case .bool(let value): out += value ? "true" : "false"
        case .array(let items):
            guard !items.isEmpty else { out += "[]"; return }
            out += "[\n"
            for (index, item) in items.enumerated() {
                out += indent + "  "
                item.write(&out, indent: indent + "  ")
                out += index == items.count - 1 ? "\n" : ",\n"
            }
            out += indent + "]"
        case .object(let members):
            guard !members.isEmpty else { out += "{}"; return }
            out += "{\n"
            for (index, (key, value)) in members.enumerated() {
                out += indent + "  "
                Self.quote(key, into: &out)
                out += ": "
                value.write(&out, indent: indent + "  ")
                out += index == members.count - 1 ? "\n" : ",\n"
            }
            out += indent + "}"
        }
    }

    private static func quote(_ text: String, into out: inout String) { out += JSONText.quoted(text) }
}
