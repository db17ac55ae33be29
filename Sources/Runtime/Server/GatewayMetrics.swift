import CoreMetrics
import Prometheus
import Synchronization

/// What `/metrics` shows, kept through swift-metrics with a Prometheus backend:
/// requests by route and status, latency histograms by route, rate-limit
/// rejections, upstream health, and which artifact is loaded and when. Label values
/// come from the artifact (route keys, service names), so cardinality is bounded.
public final class GatewayMetrics: Sendable {
    public let registry: PrometheusCollectorRegistry
    private let factory: PrometheusMetricsFactory
    /// A request's metric handles by route and status: one lock and one lookup per request.
    private let requests = Mutex<[RouteStatus: RequestMetrics]>([:])
    private let upstreams = Mutex<[ServiceEndpoint: CoreMetrics.Gauge]>([:])

    public init() {
        registry = PrometheusCollectorRegistry()
        var factory = PrometheusMetricsFactory(registry: registry)
        factory.defaultDurationHistogramBuckets = [.microseconds(500), .milliseconds(1), .milliseconds(2), .milliseconds(5), .milliseconds(10),
                                                   .milliseconds(25), .milliseconds(50), .milliseconds(100), .milliseconds(250), .milliseconds(500),
                                                   .seconds(1), .milliseconds(2_500), .seconds(5), .seconds(10)]
        self.factory = factory
    }

    private struct RouteStatus: Hashable {
        var route: String
        var status: Int
    }

    struct RequestMetrics {
        var count: CoreMetrics.Counter
        var latency: CoreMetrics.Timer
        var rateLimited: CoreMetrics.Counter?
    }

    /// The handles a connection used last: consecutive requests on one connection
    /// mostly repeat the route and status, and then take no lock and no lookup (the
    /// route key is the artifact's own string, so comparing it is comparing a pointer).
    struct LastRequest {
        var route = ""
        var status = -1
        var handles: RequestMetrics?
    }

    /// One finished request. `route` is the route key, or "-" when none matched.
    public func request(route: String, status: Int, nanoseconds: Int64) {
        var last = LastRequest()
        request(route: route, status: status, nanoseconds: nanoseconds, last: &last)
    }

    /// The same, through a connection's `last` handles.
    func request(route: String, status: Int, nanoseconds: Int64, last: inout LastRequest) {
        if last.handles == nil || last.status != status || last.route != route {
            last = LastRequest(route: route, status: status, handles: handles(route: route, status: status))
        }
        guard let handles = last.handles else { return }
        handles.count.increment()
        handles.latency.recordNanoseconds(nanoseconds)
        handles.rateLimited?.increment()
    }

    private func handles(route: String, status: Int) -> RequestMetrics {
        let key = RouteStatus(route: route, status: status)
        return requests.withLock { table in
            if let handles = table[key] { return handles }
            let handles = RequestMetrics(
                count: CoreMetrics.Counter(label: "gateway_requests_total", dimensions: [("route", route), ("status", String(status))], factory: factory),
                latency: CoreMetrics.Timer(label: "gateway_request_duration_seconds", dimensions: [("route", route)], factory: factory),
                rateLimited: status == 429 ? CoreMetrics.Counter(label: "gateway_rate_limited_total", dimensions: [("route", route)], factory: factory) : nil)
            table[key] = handles
            return handles
        }
    }

    private struct ServiceEndpoint: Hashable {
        var service: String
        var endpoint: String
    }

    /// 1 when the last attempt to reach `endpoint` of `service` succeeded, 0 when it failed.
    public func upstream(service: String, endpoint: String, healthy: Bool) {
        upstreamGauge(service: service, endpoint: endpoint).record(healthy ? 1 : 0)
    }

    /// The health gauge of one endpoint of one service, for a caller that keeps it
    /// (an upstream connection records each success without a lookup).
    func upstreamGauge(service: String, endpoint: String) -> CoreMetrics.Gauge {
        let key = ServiceEndpoint(service: service, endpoint: endpoint)
        return upstreams.withLock { table in
            if let gauge = table[key] { return gauge }
            let gauge = CoreMetrics.Gauge(label: "gateway_upstream_healthy", dimensions: [("service", service), ("endpoint", endpoint)], factory: factory)
            table[key] = gauge
            return gauge
        }
    }

    /// The artifact now serving: its hash as a label of an info gauge (the one it
    /// replaced drops to 0), when it was loaded and how long loading took.
    public func artifactLoaded(sha256: String, replacing previous: String? = nil, atSeconds: Double, loadSeconds: Double) {
        if let previous, previous != sha256 {
            CoreMetrics.Gauge(label: "gateway_artifact_info", dimensions: [("sha256", previous)], factory: factory).record(0)
        }
        CoreMetrics.Gauge(label: "gateway_artifact_info", dimensions: [("sha256", sha256)], factory: factory).record(1)
        CoreMetrics.Gauge(label: "gateway_artifact_loaded_timestamp_seconds", factory: factory).record(atSeconds)
        CoreMetrics.Gauge(label: "gateway_artifact_load_duration_seconds", factory: factory).record(loadSeconds)
        CoreMetrics.Counter(label: "gateway_artifact_reload_failures_total", factory: factory).increment(by: 0)
    }

    /// Whether the shared rate-limit store answers; each fall to 0 is also counted.
    public func rateLimitStore(up: Bool) {
        CoreMetrics.Gauge(label: "gateway_ratelimit_store_up", factory: factory).record(up ? 1 : 0)
        let failures = CoreMetrics.Counter(label: "gateway_ratelimit_store_failures_total", factory: factory)
        if up { failures.increment(by: 0) } else { failures.increment() }
    }

    /// A reload (SIGHUP, --watch) that was refused: the running artifact stays.
    /// Counted from the start (0 is exposed), so an alert can take its increase.
    public func artifactReloadFailed() {
        CoreMetrics.Counter(label: "gateway_artifact_reload_failures_total", factory: factory).increment()
    }

    /// What each metric means: `# HELP` lines, which swift-metrics has no place for.
    static let help = [
        "gateway_requests_total": "Requests answered, by route key and status.",
        "gateway_request_duration_seconds": "Time from a request's head to the end of its reply, by route key.",
        "gateway_rate_limited_total": "Requests refused with 429 by a rate limit, by route key.",
        "gateway_upstream_healthy": "1 if the last attempt to reach the endpoint succeeded, 0 if it failed.",
        "gateway_artifact_info": "The artifact serving requests (1) and those it replaced (0), by body SHA-256.",
        "gateway_artifact_loaded_timestamp_seconds": "When the serving artifact was loaded, in seconds since the epoch.",
        "gateway_artifact_load_duration_seconds": "How long reading, verifying and loading the serving artifact took.",
        "gateway_ratelimit_store_up": "1 while the shared rate-limit store (Redis) answers, 0 while limits fail open or closed without it.",
        "gateway_ratelimit_store_failures_total": "Times the shared rate-limit store became unreachable.",
        "gateway_artifact_reload_failures_total": "Reloads refused (unreadable, unverifiable or invalid artifact); the running one stayed.",
    ]

    /// The Prometheus text exposition format, with a HELP line for every metric.
    public func exposition() -> [UInt8] {
        var out: [UInt8] = []
        for line in registry.emitToString().split(separator: "\n", omittingEmptySubsequences: false) {
            if line.hasPrefix("# TYPE "), let name = line.dropFirst(7).split(separator: " ").first, let text = Self.help[String(name)] {
                out += Array("# HELP \(name) \(text)\n".utf8)
            }
            out += Array(line.utf8)
            out.append(UInt8(ascii: "\n"))
        }
        if out.last == UInt8(ascii: "\n"), out.dropLast().last == UInt8(ascii: "\n") { out.removeLast() }
        return out
    }
}
