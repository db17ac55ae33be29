/// `policies.NAME`: a named condition routes refer to with `when:`.
public struct Policy: Sendable {
    public var name: Located<String>
    public var condition: Expression
    public var description: String?
    public var location: SourceLocation
}
