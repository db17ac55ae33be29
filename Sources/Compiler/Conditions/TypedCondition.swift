import Artifact
import GatewayDSL

/// The value types conditions compute with.
enum ConditionType: Equatable, CustomStringConvertible {
    case string
    /// A string that may be absent: a header, a query parameter or a claim.
    case optionalString
    case integer
    case boolean
    case stringList
    case null

    var description: String {
        switch self {
        case .string: "string"
        case .optionalString: "string (possibly absent)"
        case .integer: "int"
        case .boolean: "bool"
        case .stringList: "list of strings"
        case .null: "null"
        }
    }

    var isStringLike: Bool { self == .string || self == .optionalString }
}

/// A type-checked condition, ready to fold and lower to bytecode. Each node keeps its
/// source location for the line table.
indirect enum TypedCondition {
    case constant(Constant, SourceLocation)
    case attribute(Attribute, SourceLocation)
    case header(String, SourceLocation)
    case query(String, SourceLocation)
    case parameter(String, SourceLocation)
    case claim(String, SourceLocation)
    case not(TypedCondition, SourceLocation)
    case and(TypedCondition, TypedCondition, SourceLocation)
    case or(TypedCondition, TypedCondition, SourceLocation)
    case compare(Opcode, TypedCondition, TypedCondition, SourceLocation)
    case member(TypedCondition, TypedCondition, SourceLocation)
    case stringTest(Opcode, TypedCondition, TypedCondition, SourceLocation)

    var location: SourceLocation {
        switch self {
        case .constant(_, let l), .attribute(_, let l), .header(_, let l), .query(_, let l), .parameter(_, let l), .claim(_, let l),
             .not(_, let l), .and(_, _, let l), .or(_, _, let l), .compare(_, _, _, let l), .member(_, _, let l), .stringTest(_, _, _, let l):
            l
        }
    }

    /// The path parameters the condition reads, with where it reads them.
    var parameters: [(String, SourceLocation)] {
        switch self {
        case .parameter(let name, let location): [(name, location)]
        case .not(let e, _): e.parameters
        case .and(let l, let r, _), .or(let l, let r, _), .compare(_, let l, let r, _), .member(let l, let r, _), .stringTest(_, let l, let r, _):
            l.parameters + r.parameters
        default: []
        }
    }

    /// Whether the condition reads anything about the principal.
    var readsPrincipal: Bool {
        switch self {
        case .attribute(let attribute, _): attribute.path.hasPrefix("principal.") && attribute != .principalAuthenticated
        case .claim: true
        case .not(let e, _): e.readsPrincipal
        case .and(let l, let r, _), .or(let l, let r, _), .compare(_, let l, let r, _), .member(let l, let r, _), .stringTest(_, let l, let r, _):
            l.readsPrincipal || r.readsPrincipal
        default: false
        }
    }
}
