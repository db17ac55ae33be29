/// A condition's syntax tree. Every node knows where it was written, so the compiler's
/// type checker and the runtime's traces can name the exact spec position.
///
/// The language is a small CEL-like subset: literals, `request` / `principal` / `time`
/// paths, indexing, method calls, lists, comparisons, `in`, `!`, `&&` and `||`.
public struct Expression: Sendable, Hashable {
    public indirect enum Kind: Sendable, Hashable {
        case string(String)
        case integer(Int64)
        case boolean(Bool)
        case null
        case identifier(String)
        case member(Expression, name: String)
        case index(Expression, Expression)
        case call(receiver: Expression?, name: String, arguments: [Expression])
        case list([Expression])
        case unary(UnaryOperator, Expression)
        case binary(BinaryOperator, Expression, Expression)
    }

    public enum UnaryOperator: String, Sendable, Hashable {
        case not = "!"
        case negate = "-"
    }

    public enum BinaryOperator: String, Sendable, Hashable, CaseIterable {
        case or = "||"
        case and = "&&"
        case equal = "=="
        case notEqual = "!="
        case less = "<"
        case lessOrEqual = "<="
        case greater = ">"
        case greaterOrEqual = ">="
        case `in` = "in"

        /// Binding power: `||` < `&&` < comparisons and `in`.
        var precedence: Int {
            switch self {
            case .or: 1
            case .and: 2
            default: 3
            }
        }
    }

    public var kind: Kind
    public var location: SourceLocation

    public init(_ kind: Kind, at location: SourceLocation) {
        self.kind = kind
        self.location = location
    }

    /// Where the expression's text begins. A node's own `location` is its operator
    /// (`==`, `.`, `[`); messages about a whole expression point at its start.
    public var start: SourceLocation {
        switch kind {
        case .member(let base, _), .index(let base, _): base.start
        case .binary(_, let lhs, _): lhs.start
        case .call(let receiver?, _, _): receiver.start
        default: location
        }
    }
}

extension Expression: CustomStringConvertible {
    /// The expression printed back fully parenthesized, so tests and traces show how it parsed.
    public var description: String {
        switch kind {
        case .string(let value): "\"\(value.replacing("\\", with: "\\\\").replacing("\"", with: "\\\""))\""
        case .integer(let value): "\(value)"
        case .boolean(let value): "\(value)"
        case .null: "null"
        case .identifier(let name): name
        case .member(let base, let name): "\(base).\(name)"
        case .index(let base, let index): "\(base)[\(index)]"
        case .call(let receiver, let name, let arguments):
            (receiver.map { "\($0)." } ?? "") + "\(name)(\(arguments.map(\.description).joined(separator: ", ")))"
        case .list(let items): "[\(items.map(\.description).joined(separator: ", "))]"
        case .unary(let op, let operand): "\(op.rawValue)\(operand)"
        case .binary(let op, let lhs, let rhs): "(\(lhs) \(op.rawValue) \(rhs))"
        }
    }
}
