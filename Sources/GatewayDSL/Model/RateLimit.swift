/// `limit: 5/s per principal`.
public struct RateLimit: Sendable, Hashable {
    public enum Key: String, Sendable, Hashable, CaseIterable {
        case principal, apiKey = "api-key", ip, route
    }

    /// What a limit does when its shared store (Redis) cannot be reached: `open`
    /// lets each gateway instance enforce it alone, `closed` refuses the request.
    public enum StoreFailure: String, Sendable, Hashable, CaseIterable {
        case open, closed
    }

    public var rate: Rate
    public var key: Key
    public var location: SourceLocation
    /// nil: the `defaults` setting, else `open`.
    public var onStoreFailure: StoreFailure?

    public init(rate: Rate, key: Key, location: SourceLocation, onStoreFailure: StoreFailure? = nil) {
        self.rate = rate
        self.key = key
        self.location = location
        self.onStoreFailure = onStoreFailure
    }
}
