/// `match:`, extra conditions on headers or query parameters for a route to match.
public struct RequestGuard: Sendable, Hashable {
    public enum Source: String, Sendable, Hashable { case header, query }
    public enum Test: Sendable, Hashable {
        /// The value must be one of these.
        case oneOf([String])
        /// The header or parameter must be present, any value.
        case present
        /// The header or parameter must be absent.
        case absent
    }

    public var source: Source
    /// Header names are lower-cased; query names are kept as written.
    public var name: String
    public var test: Test
    public var location: SourceLocation
}
