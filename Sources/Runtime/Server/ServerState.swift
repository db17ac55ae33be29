import Artifact
import NIOCore
import Synchronization

/// What every connection of one server shares: the current engine (swapped whole on
/// reload; an exchange keeps the engine it started with), the limits, the upstream
/// pools of each event loop, and counters.
final class ServerState: Sendable {
    let configuration: ServerConfiguration
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
    private let turn = Atomic<Int>(0)

    init(engine: Engine, configuration: ServerConfiguration, eventLoops: [EventLoop], metrics: GatewayMetrics, accessLog: AccessLog) {
        self.configuration = configuration
        self.metrics = metrics
        self.accessLog = accessLog
        self.parser = RequestHeadParser(maxHeadBytes: configuration.maxHeadBytes, maxRequestLineBytes: min(8 << 10, configuration.maxHeadBytes))
        self.engine = Mutex(engine)
        var pools: [ObjectIdentifier: NIOLoopBoundBox<UpstreamPool?>] = [:]
        for loop in eventLoops { pools[ObjectIdentifier(loop)] = NIOLoopBoundBox.makeEmptyBox(valueType: UpstreamPool.self, eventLoop: loop) }
        self.pools = pools
    }

    var currentEngine: Engine { engine.withLock { $0 } }

    func replaceEngine(_ new: Engine) { engine.withLock { $0 = new } }

    /// The upstream for service `index`: the configured override, else the artifact's
    /// endpoints, taken in turn (round robin).
    func address(service index: Int, engine: Engine) -> UpstreamAddress? {
        let entry = engine.artifact.services[index]
        let candidates = configuration.upstreamOverrides[entry.name]
            ?? entry.endpoints.map { UpstreamAddress(host: $0.host, port: Int($0.port)) }
        guard !candidates.isEmpty else { return nil }
        let next = turn.add(1, ordering: .relaxed).newValue
        return candidates[Int(UInt(bitPattern: next) % UInt(candidates.count))]
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
    /// Logs and counts one finished request.
    func record(_ entry: AccessLog.Entry, started: NIODeadline) {
        var entry = entry
        let elapsed = (NIODeadline.now() - started).nanoseconds
        entry.latencyMicroseconds = elapsed / 1_000
        accessLog.record(entry)
        metrics.request(route: entry.route ?? "-", status: entry.status, nanoseconds: elapsed)
    }
}
