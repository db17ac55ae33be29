import Artifact
import NIOCore
import Synchronization

/// What every connection of one server shares: the current engine (swapped whole on
/// reload; an exchange keeps the engine it started with), the limits, the upstream
/// pools of each event loop, and counters.
final class ServerState: Sendable {
    let configuration: ServerConfiguration
    /// Record mode is on: read per request without copying the recorder out of the configuration.
    let recording: Bool
    let parser: RequestHeadParser
    private let engine: Mutex<Engine>
    /// Filled on each loop's first use (a loop-bound value can only be made on its loop).
    let pools: [ObjectIdentifier: NIOLoopBoundBox<UpstreamPool?>]
    let connections = Atomic<Int>(0)
    let metrics: GatewayMetrics
    let accessLog: AccessLog
    /// Set when shutdown begins: /readyz turns 503 so load balancers stop sending.
    let draining = Atomic<Bool>(false)
    /// Requests between their head and the end of their response.
    let inFlight = Atomic<Int>(0)
    /// Rate limits shared with other instances, when configured.
    let sharedLimits: RedisRateLimitStore?
    /// Per service name, what is known of its endpoints.
    private let health = Mutex(HealthTable())

    /// Entries by service name (kept across reloads), and by service index for the
    /// engine that used them last: a request finds its service's entry by index, with
    /// no hashing of the name (twice per request: the pick and the outcome).
    private struct HealthTable {
        var byName: [String: HealthEntry] = [:]
        var engine: Engine?
        var byIndex: [HealthEntry?] = []
    }

    /// A service's endpoint state and the engine it was made for; a class, so a
    /// request updates it in place rather than copying its arrays out and back.
    private final class HealthEntry {
        let engine: Engine
        var state: ServiceHealth
        init(engine: Engine, state: ServiceHealth) {
            self.engine = engine
            self.state = state
        }
    }

    init(engine: Engine, configuration: ServerConfiguration, eventLoops: [EventLoop], metrics: GatewayMetrics, accessLog: AccessLog) {
        self.configuration = configuration
        self.recording = configuration.recorder != nil
        self.metrics = metrics
        self.accessLog = accessLog
        self.parser = RequestHeadParser(maxHeadBytes: configuration.maxHeadBytes, maxRequestLineBytes: min(8 << 10, configuration.maxHeadBytes))
        self.engine = Mutex(engine)
        var pools: [ObjectIdentifier: NIOLoopBoundBox<UpstreamPool?>] = [:]
        for loop in eventLoops { pools[ObjectIdentifier(loop)] = NIOLoopBoundBox.makeEmptyBox(valueType: UpstreamPool.self, eventLoop: loop) }
        self.pools = pools
        self.sharedLimits = configuration.rateLimitStore.map { store in
            RedisRateLimitStore(configuration: store, eventLoops: eventLoops) { up, reason in
                metrics.rateLimitStore(up: up)
                ServerLog.line(up ? "gatewayd: rate-limit store \(store.host):\(store.port) reachable; limits are shared again"
                                  : "gatewayd: rate-limit store unreachable (\(reason)); limits fail open or closed as each says")
            }
        }
        if sharedLimits != nil { metrics.rateLimitStore(up: true) }
        sharedLimits?.connect(eventLoops)
    }

    var currentEngine: Engine { engine.withLock { $0 } }

    func replaceEngine(_ new: Engine) { engine.withLock { $0 = new } }

    /// The addresses of service `index`: the configured override, else the artifact's endpoints.
    func addresses(service index: Int, engine: Engine) -> [UpstreamAddress] {
        let entry = engine.artifact.services[index]
        return configuration.upstreamOverrides[entry.name] ?? entry.endpoints.map { UpstreamAddress(host: $0.host, port: Int($0.port)) }
    }

    /// Runs `body` on the service's endpoint state, made (or remade, after a reload
    /// changed its endpoints or settings) from the engine's artifact. The common case,
    /// the same engine as last time, costs one lock and one lookup.
    func withHealth<Result>(service index: Int, engine: Engine, _ body: (inout ServiceHealth) -> Result) -> Result {
        health.withLock { table in
            if table.engine === engine, index < table.byIndex.count, let entry = table.byIndex[index] { return body(&entry.state) }
            if table.engine !== engine {
                table.engine = engine
                table.byIndex = Array(repeating: nil, count: engine.artifact.services.count)
            }
            let name = engine.artifact.services[index].name
            if let entry = table.byName[name], entry.engine === engine {
                if index < table.byIndex.count { table.byIndex[index] = entry }
                return body(&entry.state)
            }
            // Held strongly, so a later engine can never be mistaken for it.
            let service = engine.artifact.services[index]
            let addresses = addresses(service: index, engine: engine)
            let kept = table.byName[name].flatMap { known in
                known.state.endpoints.map(\.address) == addresses && known.state.retry == service.retry && known.state.breaker == service.breaker
                    && known.state.health == service.health && known.state.balance == service.balance ? known.state : nil
            }
            let entry = HealthEntry(engine: engine, state: kept ?? ServiceHealth(addresses: addresses, service: service))
            table.byName[name] = entry
            if index < table.byIndex.count { table.byIndex[index] = entry }
            return body(&entry.state)
        }
    }

    /// This loop's pool; call on the loop.
    func pool(for loop: EventLoop) -> UpstreamPool? {
        guard let box = pools[ObjectIdentifier(loop)] else { return nil }
        if let pool = box.value { return pool }
        let pool = UpstreamPool(eventLoop: loop, maxIdle: configuration.maxIdleUpstreamConnections)
        box.value = pool
        return pool
    }
}

extension ServerState {
    /// Counts one finished request and, when the access log is on, logs it: the
    /// entry (a dozen strings copied and released) is made only then. `last` is the
    /// connection's metric handles; `route` is the route key, or nil when none matched.
    func record(route: String?, status: Int, started: NIODeadline, now: NIODeadline = .now(), last: inout GatewayMetrics.LastRequest,
                _ entry: @autoclosure () -> AccessLog.Entry) {
        let elapsed = (now - started).nanoseconds
        if accessLog.isOn {
            var entry = entry()
            entry.latencyMicroseconds = elapsed / 1_000
            accessLog.record(entry)
        }
        metrics.request(route: route ?? "-", status: status, nanoseconds: elapsed, last: &last)
    }
}
