/// A parsed JSON value (RFC 8259). Numbers keep their text, objects their member
/// order, so a value prints back as it was read.
public indirect enum JSONValue: Sendable, Equatable, CustomStringConvertible {
    case null
    case bool(Bool)
    case number(String)
    case string(String)
    case array([JSONValue])
    case object([(String, JSONValue)])

    /// Values are equal when they print the same with object members sorted.
    public static func == (lhs: JSONValue, rhs: JSONValue) -> Bool { lhs.description == rhs.description }

    /// Compact JSON, object members sorted by name.
    public var description: String {
        switch self {
        case .null: "null"
        case .bool(let value): "\(value)"
        case .number(let text): text
        case .string(let text): Problem.json(text)
        case .array(let items): "[" + items.map(\.description).joined(separator: ",") + "]"
        case .object(let fields): "{" + fields.sorted { $0.0 < $1.0 }.map { "\(Problem.json($0.0)):\($0.1)" }.joined(separator: ",") + "}"
        }
    }

    /// An object's member (the first of that name).
    public subscript(_ name: String) -> JSONValue? {
        guard case .object(let fields) = self else { return nil }
        return fields.first { $0.0 == name }?.1
    }

    /// The value at a dotted path such as `realm_access.roles`.
    public func value(atPath path: String) -> JSONValue? {
        var value: JSONValue? = self
        for part in path.split(separator: ".") { value = value?[String(part)] }
        return value
    }

    public var stringValue: String? { if case .string(let text) = self { return text }; return nil }

    /// A whole number that fits in 64 bits (NumericDate claims, RFC 7519 2).
    public var integerValue: Int64? {
        guard case .number(let text) = self else { return nil }
        if let value = Int64(text) { return value }
        guard let double = Double(text), double.isFinite, abs(double) < 9.2e18 else { return nil }
        return Int64(double)
    }

    /// Whether an object names any member twice, at any depth (JOSE headers and
    /// claims must not: RFC 7515 4, RFC 7519 4).
    public var hasDuplicateMembers: Bool {
        switch self {
        case .object(let fields):
            return Set(fields.map(\.0)).count != fields.count || fields.contains { $0.1.hasDuplicateMembers }
        case .array(let items): return items.contains { $0.hasDuplicateMembers }
        default: return false
        }
    }
}
