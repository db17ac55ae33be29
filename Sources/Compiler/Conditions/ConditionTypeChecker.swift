import Artifact
import GatewayDSL

/// Type-checks a parsed condition against the attributes the runtime provides.
///
/// Reports each error at its exact spec position and returns nil for a condition
/// with errors. Keys of `request.header[...]`, `request.query[...]`,
/// `request.params[...]` and `principal.claims[...]` must be string literals, so
/// every lookup is known at compile time.
struct ConditionTypeChecker {
    var bag = DiagnosticBag()

    static let weekdays = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
    static let indexable = ["request.header", "request.query", "request.params", "principal.claims"]
    static let methods: [String: Opcode] = ["startsWith": .startsWith, "endsWith": .endsWith, "contains": .stringContains]

    mutating func check(_ expression: Expression) -> TypedCondition? {
        guard let (typed, type) = infer(expression) else { return nil }
        guard type == .boolean else {
            bag.error(.conditionType, "a condition must be true or false, but this is a \(type)", at: expression.start,
                      hint: "compare it, e.g. `... == \"value\"`")
            return nil
        }
        return typed
    }

    private mutating func infer(_ e: Expression) -> (TypedCondition, ConditionType)? {
        let at = e.location
        switch e.kind {
        case .string(let value): return (.constant(.string(value), at), .string)
        case .integer(let value): return (.constant(.integer(value), at), .integer)
        case .boolean(let value): return (.constant(.boolean(value), at), .boolean)
        case .null: return (.constant(.null, at), .null)
        case .list(let items): return list(items, at: at)
        case .identifier, .member: return attribute(e)
        case .index(let base, let key): return index(base, key, at: at)
        case .call(let receiver, let name, let arguments): return call(receiver, name, arguments, at: at)
        case .unary(.not, let operand):
            guard let (typed, type) = infer(operand) else { return nil }
            guard expect(type, .boolean, operand.start, "`!`") else { return nil }
            return (.not(typed, at), .boolean)
        case .unary(.negate, let operand):
            guard let (typed, type) = infer(operand) else { return nil }
            guard expect(type, .integer, operand.start, "`-`") else { return nil }
            if case .constant(.integer(let value), _) = typed { return (.constant(.integer(-value), at), .integer) }
            bag.error(.conditionType, "`-` applies to number literals only", at: at, hint: nil)
            return nil
        case .binary(let op, let lhs, let rhs): return binary(op, lhs, rhs, at: at)
        }
    }

    private mutating func list(_ items: [Expression], at: SourceLocation) -> (TypedCondition, ConditionType)? {
        var values: [String] = []
        for item in items {
            guard case .string(let value) = item.kind else {
                bag.error(.conditionType, "lists in conditions hold string literals only", at: item.location, hint: "write `[\"eu\", \"uk\"]`")
                return nil
            }
            values.append(value)
        }
        return (.constant(.stringSet(Array(Set(values)).sorted()), at), .stringList)
    }

    /// A dotted path such as `time.weekday`.
    private static func dottedPath(_ e: Expression) -> String? {
        switch e.kind {
        case .identifier(let name): name
        case .member(let base, let name): dottedPath(base).map { "\($0).\(name)" }
        default: nil
        }
    }

    private mutating func attribute(_ e: Expression) -> (TypedCondition, ConditionType)? {
        guard let path = Self.dottedPath(e) else {
            bag.error(.conditionType, "this is not an attribute", at: e.location, hint: nil)
            return nil
        }
        if let attribute = Attribute.allCases.first(where: { $0.path == path }) {
            return (.attribute(attribute, e.location), Self.type(of: attribute))
        }
        if Self.indexable.contains(path) {
            bag.error(.conditionType, "`\(path)` is a map; look up one entry", at: e.start, hint: "write `\(path)[\"name\"]`")
            return nil
        }
        let known = Attribute.allCases.map(\.path) + Self.indexable.map { "\($0)[...]" }
        bag.error(.unknownAttribute, "`\(path)` is not an attribute conditions can read", at: e.start,
                  hint: Suggestions.closest(to: path, in: Attribute.allCases.map(\.path) + Self.indexable).map { "did you mean `\($0)`?" }
                      ?? "known: \(known.joined(separator: ", "))")
        return nil
    }

    static func type(of attribute: Attribute) -> ConditionType {
        switch attribute {
        case .principalRoles, .principalScopes: .stringList
        case .principalAuthenticated: .boolean
        case .timeHour, .timeMinute, .timeDay: .integer
        default: .string
        }
    }

    private mutating func index(_ base: Expression, _ key: Expression, at: SourceLocation) -> (TypedCondition, ConditionType)? {
        guard let path = Self.dottedPath(base), Self.indexable.contains(path) else {
            let shown = Self.dottedPath(base) ?? "this"
            bag.error(.unknownAttribute, "`\(shown)` cannot be indexed", at: base.start,
                      hint: "indexable maps: \(Self.indexable.map { "`\($0)`" }.joined(separator: ", "))")
            return nil
        }
        guard case .string(let name) = key.kind, !name.isEmpty else {
            bag.error(.conditionType, "the key of `\(path)[...]` must be a non-empty string literal", at: key.location,
                      hint: "write `\(path)[\"name\"]`; keys are fixed when the spec is compiled")
            return nil
        }
        switch path {
        case "request.header": return (.header(name.lowercased(), at), .optionalString)
        case "request.query": return (.query(name, at), .optionalString)
        case "request.params": return (.parameter(name, key.location), .string)
        default: return (.claim(name, at), .optionalString)
        }
    }

    private mutating func call(_ receiver: Expression?, _ name: String, _ arguments: [Expression], at: SourceLocation) -> (TypedCondition, ConditionType)? {
        guard let opcode = Self.methods[name], let receiver else {
            bag.error(.unknownAttribute, "`\(name)(...)` is not a function conditions can call", at: receiver?.start ?? at,
                      hint: Suggestions.closest(to: name, in: Array(Self.methods.keys)).map { "did you mean `.\($0)(...)`?" }
                          ?? "strings have `.startsWith(s)`, `.endsWith(s)` and `.contains(s)`")
            return nil
        }
        guard arguments.count == 1 else {
            bag.error(.conditionType, "`.\(name)(...)` takes one argument, not \(arguments.count)", at: at, hint: nil)
            return nil
        }
        guard let (base, baseType) = infer(receiver), let (argument, argumentType) = infer(arguments[0]) else { return nil }
        guard expectString(baseType, receiver.start, "`.\(name)(...)`"), expectString(argumentType, arguments[0].start, "its argument") else { return nil }
        return (.stringTest(opcode, base, argument, at), .boolean)
    }

    private mutating func binary(_ op: Expression.BinaryOperator, _ lhs: Expression, _ rhs: Expression, at: SourceLocation) -> (TypedCondition, ConditionType)? {
        guard let (l, lt) = infer(lhs), let (r, rt) = infer(rhs) else { return nil }
        switch op {
        case .and, .or:
            guard expect(lt, .boolean, lhs.start, "`\(op.rawValue)`"), expect(rt, .boolean, rhs.start, "`\(op.rawValue)`") else { return nil }
            return (op == .and ? .and(l, r, at) : .or(l, r, at), .boolean)
        case .in:
            guard expectString(lt, lhs.start, "the left of `in`") else { return nil }
            guard rt == .stringList else {
                bag.error(.conditionType, "the right of `in` must be a list, but this is a \(rt)", at: rhs.start,
                          hint: "e.g. `\"trader\" in principal.roles` or `request.header[\"x\"] in [\"a\", \"b\"]`")
                return nil
            }
            return (.member(l, r, at), .boolean)
        case .equal, .notEqual:
            guard comparable(lt, rt) else {
                bag.error(.conditionType, "`\(op.rawValue)` compares a \(lt) with a \(rt)", at: at, hint: "compare values of the same type")
                return nil
            }
            checkLiteral(l, against: r)
            checkLiteral(r, against: l)
            return (.compare(op == .equal ? .equal : .notEqual, l, r, at), .boolean)
        default:
            guard expect(lt, .integer, lhs.start, "`\(op.rawValue)`"), expect(rt, .integer, rhs.start, "`\(op.rawValue)`") else { return nil }
            checkLiteral(l, against: r)
            checkLiteral(r, against: l)
            let opcode: Opcode = switch op {
            case .less: .less
            case .lessOrEqual: .lessOrEqual
            case .greater: .greater
            default: .greaterOrEqual
            }
            return (.compare(opcode, l, r, at), .boolean)
        }
    }

    private func comparable(_ a: ConditionType, _ b: ConditionType) -> Bool {
        if a.isStringLike && b.isStringLike { return true }
        if a == .null { return b == .optionalString || b == .null }
        if b == .null { return a == .optionalString }
        return a == b && a != .stringList
    }

    /// Catches `time.weekday == "saturday"` and `time.hour > 24` at compile time.
    private mutating func checkLiteral(_ literal: TypedCondition, against other: TypedCondition) {
        guard case .attribute(let attribute, _) = other, case .constant(let constant, let at) = literal else { return }
        switch (attribute, constant) {
        case (.timeWeekday, .string(let day)) where !Self.weekdays.contains(day):
            bag.error(.conditionType, "`time.weekday` is never `\(day)`", at: at,
                      hint: Suggestions.closest(to: String(day.prefix(3)), in: Self.weekdays).map { "did you mean `\($0)`? weekdays are \(Self.weekdays.joined(separator: ", "))" }
                          ?? "weekdays are \(Self.weekdays.joined(separator: ", "))")
        case (.timeHour, .integer(let hour)) where !(0...23).contains(hour):
            bag.error(.conditionType, "`time.hour` runs from 0 to 23 (UTC), so \(hour) is never reached", at: at, hint: nil)
        case (.timeMinute, .integer(let minute)) where !(0...59).contains(minute):
            bag.error(.conditionType, "`time.minute` runs from 0 to 59, so \(minute) is never reached", at: at, hint: nil)
        case (.timeDay, .integer(let day)) where !(1...31).contains(day):
            bag.error(.conditionType, "`time.day` runs from 1 to 31, so \(day) is never reached", at: at, hint: nil)
        default: break
        }
    }

    private mutating func expect(_ type: ConditionType, _ wanted: ConditionType, _ at: SourceLocation, _ context: String) -> Bool {
        if type == wanted { return true }
        bag.error(.conditionType, "\(context) needs a \(wanted), but this is a \(type)", at: at, hint: nil)
        return false
    }

    private mutating func expectString(_ type: ConditionType, _ at: SourceLocation, _ context: String) -> Bool {
        if type.isStringLike { return true }
        bag.error(.conditionType, "\(context) needs a string, but this is a \(type)", at: at, hint: nil)
        return false
    }
}
