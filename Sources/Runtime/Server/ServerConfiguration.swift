import Artifact
import NIOCore

/// How `gatewayd` listens and what it allows; defaults come from the artifact's
/// `defaults` (header limit and timeouts, body limit, connections).
public struct ServerConfiguration: Sendable {
    public var host: String
    public var port: Int
    /// Event loops (threads). One is best on two shared cores (stack-notes.md).
    public var threads: Int
    public var maxHeadBytes: Int
    /// Time allowed from a connection's first byte (or the previous response) to a
    /// complete head: slow-loris clients are cut off with 408.
    public var headerTimeout: TimeAmount
    /// Time a keep-alive connection may sit idle between requests.
    public var idleTimeout: TimeAmount
    public var maxConnections: Int
    /// Largest upstream reply body buffered for an envelope (others stream through).
    public var maxEnvelopeBytes: Int
    /// Addresses that replace a service's endpoints (the demo's mock backends, tests).
    public var upstreamOverrides: [String: [UpstreamAddress]]
    /// Idle keep-alive connections kept per upstream address and event loop.
    public var maxIdleUpstreamConnections: Int
    /// Peers whose X-Forwarded-For/-Proto/-Host are believed.
    public var trustedProxies: TrustedProxies = .none
    /// Record mode: every completed exchange, bodies included (up to a limit).
    public var recorder: (any ExchangeRecorder)?
    /// Where rate limits are shared with other instances (Redis); nil keeps them in memory.
    public var rateLimitStore: RedisRateLimitStore.Configuration?

    public init(host: String = "127.0.0.1", port: Int = 8080, threads: Int = 1, maxHeadBytes: Int = 16 << 10,
                headerTimeout: TimeAmount = .seconds(10), idleTimeout: TimeAmount = .seconds(60), maxConnections: Int = 20_000,
                maxEnvelopeBytes: Int = 8 << 20, upstreamOverrides: [String: [UpstreamAddress]] = [:], maxIdleUpstreamConnections: Int = 1_024) {
        self.host = host
        self.port = port
        self.threads = threads
        self.maxHeadBytes = maxHeadBytes
        self.headerTimeout = headerTimeout
        self.idleTimeout = idleTimeout
        self.maxConnections = maxConnections
        self.maxEnvelopeBytes = maxEnvelopeBytes
        self.upstreamOverrides = upstreamOverrides
        self.maxIdleUpstreamConnections = maxIdleUpstreamConnections
    }

    /// The artifact's defaults, listening on `host:port`.
    public init(artifact: Artifact, host: String, port: Int) {
        let defaults = artifact.settings.defaults
        self.init(host: host, port: port, maxHeadBytes: Int(defaults.headerLimit),
                  headerTimeout: .milliseconds(Int64(defaults.headerTimeoutMilliseconds)),
                  idleTimeout: .milliseconds(Int64(defaults.idleTimeoutMilliseconds)), maxConnections: Int(defaults.maxConnections))
    }
}

/// Where an upstream listens.
public struct UpstreamAddress: Sendable, Hashable, CustomStringConvertible {
    public let host: String
    public let port: Int
    /// `host:port`, made once: logs and metrics name the endpoint on every request.
    public let description: String

    public init(host: String, port: Int) {
        self.host = host
        self.port = port
        self.description = "\(host):\(port)"
    }

    public static func == (lhs: UpstreamAddress, rhs: UpstreamAddress) -> Bool { lhs.port == rhs.port && lhs.host == rhs.host }
    public func hash(into hasher: inout Hasher) {
        hasher.combine(host)
        hasher.combine(port)
    }

    /// `service=host:port`, as `--upstream` takes it.
    public static func override(_ text: String) -> (service: String, address: UpstreamAddress)? {
        let parts = text.split(separator: "=", maxSplits: 1)
        guard parts.count == 2, let colon = parts[1].lastIndex(of: ":"), let port = Int(parts[1][parts[1].index(after: colon)...]),
              (1...65_535).contains(port) else { return nil }
        return (String(parts[0]), UpstreamAddress(host: String(parts[1][..<colon]), port: port))
    }
}
