/// One `when:` item: a named policy or an inline expression.
public enum Condition: Sendable {
    case policy(Located<String>)
    case inline(Expression)
}
