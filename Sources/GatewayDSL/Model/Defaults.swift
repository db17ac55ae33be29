/// `defaults:`, gateway-wide settings that services and routes may override.
public struct Defaults: Sendable {
    /// Time allowed for an upstream request, first byte to last.
    public var timeout: Located<SpecDuration>?
    /// Time allowed to open an upstream connection.
    public var connectTimeout: Located<SpecDuration>?
    /// The largest request body accepted.
    public var bodyLimit: Located<ByteSize>?
    /// The largest request head (request line plus headers) accepted.
    public var headerLimit: Located<ByteSize>?
    /// Time allowed for a client to send the whole request head.
    public var headerTimeout: Located<SpecDuration>?
    /// How long an idle keep-alive connection is kept.
    public var idleTimeout: Located<SpecDuration>?
    /// Concurrent client connections accepted.
    public var maxConnections: Located<Int>?
    /// Whether successful upstream JSON responses are wrapped in the envelope.
    public var envelope: Located<Bool>?
    /// What rate limits do when their shared store is unreachable, unless a limit says.
    public var onStoreFailure: Located<RateLimit.StoreFailure>?

    public init() {}

    public static let defaultTimeout = SpecDuration(milliseconds: 30_000)
    public static let defaultConnectTimeout = SpecDuration(milliseconds: 2_000)
    public static let defaultBodyLimit = ByteSize(bytes: 1 << 20)
    public static let defaultHeaderLimit = ByteSize(bytes: 16 << 10)
    public static let defaultHeaderTimeout = SpecDuration(milliseconds: 10_000)
    public static let defaultIdleTimeout = SpecDuration(milliseconds: 60_000)
    public static let defaultMaxConnections = 10_000
}
