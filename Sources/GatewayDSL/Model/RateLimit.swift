/// `limit: 5/s per principal`.
public struct RateLimit: Sendable, Hashable {
    public enum Key: String, Sendable, Hashable, CaseIterable {
        case principal, apiKey = "api-key", ip, route
    }

    public var rate: Rate
    public var key: Key
    public var location: SourceLocation
}
