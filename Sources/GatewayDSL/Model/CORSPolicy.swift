/// `cors:`, which browser origins may call the API.
public struct CORSPolicy: Sendable, Hashable {
    /// Exact origins (`https://trade.forex.example`), or `*` for any.
    public var origins: [Located<String>]
    public var methods: [String]
    /// Request headers a browser may send.
    public var headers: [String]
    /// Response headers a browser script may read.
    public var expose: [String]
    public var credentials: Located<Bool>
    public var maxAge: SpecDuration
    public var location: SourceLocation

    public var allowsAnyOrigin: Bool { origins.contains { $0.value == "*" } }
}
