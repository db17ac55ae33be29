import Artifact
import NIOCore
import Synchronization

/// Rate limits shared by every gatewayd instance through one Redis: each request's
/// buckets are taken in one round trip (`RedisLimitScript`), on a connection of the
/// request's own event loop. When Redis cannot answer in time, each limit does what
/// its spec says (`on-store-failure`): `open` falls back to this instance's own
/// in-memory buckets, `closed` refuses with 429. The store says so once in the log and
/// in `gateway_ratelimit_store_up`, and reconnects on its own, backing off from
/// 100 ms to 2 s between attempts.
public final class RedisRateLimitStore: Sendable {
    public struct Configuration: Sendable, Equatable {
        public var host: String
        public var port: Int
        /// For a connection and for each reply.
        public var timeout: TimeAmount
        public var keyPrefix: String

        public init(host: String, port: Int, timeout: TimeAmount = .milliseconds(50), keyPrefix: String = "gwrl|") {
            self.host = host
            self.port = port
            self.timeout = timeout
            self.keyPrefix = keyPrefix
        }

        /// `redis://host:port` (or `host:port`); nil when it is neither.
        public init?(url: String, timeout: TimeAmount = .milliseconds(50)) {
            var rest = Substring(url)
            if rest.hasPrefix("redis://") { rest = rest.dropFirst("redis://".count) }
            while rest.hasSuffix("/") { rest = rest.dropLast() }
            guard let colon = rest.lastIndex(of: ":"), let port = Int(rest[rest.index(after: colon)...]), (1...65_535).contains(port) else { return nil }
            var host = String(rest[..<colon])
            if host.hasPrefix("["), host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
            guard !host.isEmpty, !host.contains("@"), !host.contains("/") else { return nil }
            self.init(host: host, port: port, timeout: timeout)
        }
    }

    public let configuration: Configuration
    /// This instance's own buckets, for limits that fail open.
    let fallback: InMemoryRateLimiter
    private let clients: [ObjectIdentifier: NIOLoopBoundBox<RedisLimitClient?>]
    private let reachable = Atomic<Bool>(true)
    private let onChange: @Sendable (_ up: Bool, _ reason: String) -> Void

    /// `onChange` hears when the store becomes unreachable (with why) or reachable again.
    public init(configuration: Configuration, eventLoops: [EventLoop], fallback: InMemoryRateLimiter = InMemoryRateLimiter(),
                onChange: @escaping @Sendable (_ up: Bool, _ reason: String) -> Void = { _, _ in }) {
        self.configuration = configuration
        self.fallback = fallback
        self.onChange = onChange
        var clients: [ObjectIdentifier: NIOLoopBoundBox<RedisLimitClient?>] = [:]
        for loop in eventLoops { clients[ObjectIdentifier(loop)] = NIOLoopBoundBox.makeEmptyBox(valueType: RedisLimitClient.self, eventLoop: loop) }
        self.clients = clients
    }

    /// A decision for every take, on `loop`. It never fails: when Redis cannot answer,
    /// the decisions follow each limit's failure policy.
    public func take(_ takes: [LimitTake], now: Int64, on loop: EventLoop) -> EventLoopFuture<[(take: LimitTake, decision: RateDecision)]>.Isolated {
        let fallbackAnswers = { (reason: String) in
            self.changed(up: false, reason)
            return takes.map { ($0, self.fallbackDecision($0, now: now)) }
        }
        guard let client = client(for: loop) else { return loop.assumeIsolated().makeSucceededFuture(fallbackAnswers("no client on this event loop")).assumeIsolated() }
        return client.run(takes, timeout: configuration.timeout, prefix: configuration.keyPrefix).map { result in
            switch result {
            case .success(let decisions):
                self.changed(up: true, "")
                return Array(zip(takes, decisions)).map { (take: $0.0, decision: $0.1) }
            case .failure(let reason):
                return fallbackAnswers(reason)
            }
        }
    }

    /// Connects every loop's client now, so the first requests find Redis ready.
    public func connect(_ loops: [EventLoop]) {
        for loop in loops {
            loop.execute { self.client(for: loop)?.connectIfNeeded(timeout: self.configuration.timeout) }
        }
    }

    /// What a limit does without its store: `closed` refuses (retry in a second),
    /// `open` counts in this instance's own buckets.
    public func fallbackDecision(_ take: LimitTake, now: Int64) -> RateDecision {
        if take.limit.failClosed { return RateDecision(allowed: false, remaining: 0, retryAfterMilliseconds: 1_000, resetMilliseconds: 1_000) }
        return fallback.take(take.limit, index: take.index, key: take.key, now: now)
    }

    /// Whether the last round trip succeeded.
    public var isReachable: Bool { reachable.load(ordering: .relaxed) }

    private func changed(up: Bool, _ reason: String) {
        if reachable.exchange(up, ordering: .relaxed) != up { onChange(up, reason) }
    }

    private func client(for loop: EventLoop) -> RedisLimitClient? {
        guard let box = clients[ObjectIdentifier(loop)] else { return nil }
        if let client = box.value { return client }
        let client = RedisLimitClient(loop: loop, host: configuration.host, port: configuration.port) { [weak self] up, reason in
            self?.changed(up: up, reason)
        }
        box.value = client
        return client
    }
}
