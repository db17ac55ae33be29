import Artifact

/// Folds what is known at compile time: comparisons of literals, `!` of a literal,
/// and `&&` / `||` with a literal side. A folded condition that is always true
/// needs no code; one that is always false becomes a plain deny.
enum ConstantFolding {
    static func fold(_ condition: TypedCondition) -> TypedCondition {
        switch condition {
        case .not(let inner, let at):
            let folded = fold(inner)
            if case .constant(.boolean(let value), _) = folded { return .constant(.boolean(!value), at) }
            return .not(folded, at)
        case .and(let l, let r, let at):
            let (fl, fr) = (fold(l), fold(r))
            if case .constant(.boolean(let value), _) = fl { return value ? fr : .constant(.boolean(false), at) }
            if case .constant(.boolean(true), _) = fr { return fl }
            return .and(fl, fr, at)
        case .or(let l, let r, let at):
            let (fl, fr) = (fold(l), fold(r))
            if case .constant(.boolean(let value), _) = fl { return value ? .constant(.boolean(true), at) : fr }
            if case .constant(.boolean(false), _) = fr { return fl }
            return .or(fl, fr, at)
        case .compare(let op, let l, let r, let at):
            let (fl, fr) = (fold(l), fold(r))
            if case .constant(let a, _) = fl, case .constant(let b, _) = fr, let result = compare(op, a, b) {
                return .constant(.boolean(result), at)
            }
            return .compare(op, fl, fr, at)
        case .member(let l, let r, let at):
            let (fl, fr) = (fold(l), fold(r))
            if case .constant(.string(let value), _) = fl, case .constant(.stringSet(let set), _) = fr {
                return .constant(.boolean(set.contains(value)), at)
            }
            return .member(fl, fr, at)
        case .stringTest(let op, let l, let r, let at):
            let (fl, fr) = (fold(l), fold(r))
            if case .constant(.string(let a), _) = fl, case .constant(.string(let b), _) = fr {
                let result = switch op {
                case .startsWith: a.hasPrefix(b)
                case .endsWith: a.hasSuffix(b)
                default: a.contains(b)
                }
                return .constant(.boolean(result), at)
            }
            return .stringTest(op, fl, fr, at)
        default:
            return condition
        }
    }

    private static func compare(_ op: Opcode, _ a: Constant, _ b: Constant) -> Bool? {
        switch (op, a, b) {
        case (.equal, _, _): return a == b
        case (.notEqual, _, _): return a != b
        case (.less, .integer(let x), .integer(let y)): return x < y
        case (.lessOrEqual, .integer(let x), .integer(let y)): return x <= y
        case (.greater, .integer(let x), .integer(let y)): return x > y
        case (.greaterOrEqual, .integer(let x), .integer(let y)): return x >= y
        default: return nil
        }
    }
}
