import Artifact

/// What the gateway knows about one service's endpoints, and the decisions built on
/// it: which endpoint takes the next request (round robin, or least-request by the
/// power of two random choices), which endpoints are out (failed their active health
/// check, or ejected after consecutive failures), whether the circuit is open, and
/// whether a retry fits the budget. Pure: time comes in as milliseconds.
public struct ServiceHealth: Sendable {
    public struct Endpoint: Sendable, Equatable {
        public var address: UpstreamAddress
        /// Requests in flight to it (least-request balancing).
        public var active = 0
        public var consecutiveFailures = 0
        /// Passive outlier ejection: out of rotation until then.
        public var ejectedUntil: Int64 = 0
        /// The active health check's verdict (true until a check says otherwise).
        public var healthy = true
        var checkSuccesses = 0
        var checkFailures = 0
    }

    public enum Pick: Sendable, Equatable {
        case endpoint(UpstreamAddress)
        /// Nothing to send to: every endpoint is unhealthy or ejected, or the circuit is open.
        case unavailable(String)
    }

    public enum Outcome: Sendable, Equatable { case success, failure }

    public private(set) var endpoints: [Endpoint]
    public let balance: ServiceEntry.Balance
    public let breaker: ServiceEntry.Breaker?
    public let retry: ServiceEntry.Retry?
    public let health: ServiceEntry.Health?
    /// Consecutive failures across the service (circuit breaker).
    var serviceFailures = 0
    var openUntil: Int64 = 0
    var halfOpenTrialTaken = false
    var turn = 0
    /// Requests and retries in the current budget window (10 s).
    var windowStart: Int64 = 0
    var windowRequests = 0
    var windowRetries = 0

    /// Consecutive failures that eject an endpoint, and for how long.
    public static let ejectAfter = 5
    public static let ejection: Int64 = 30_000
    /// Retries always allowed per ten-second window, whatever the percentage gives.
    public static let minimumRetries = 10

    public init(addresses: [UpstreamAddress], service: ServiceEntry) {
        endpoints = addresses.map { Endpoint(address: $0) }
        balance = service.balance
        breaker = service.breaker
        retry = service.retry
        health = service.health
    }

    /// The endpoint for the next attempt, avoiding `excluding` (already tried) when it can.
    public mutating func pick(now: Int64, excluding: [UpstreamAddress] = [], random: (Int) -> Int = { Int.random(in: 0..<$0) }) -> Pick {
        if let breaker, serviceFailures >= Int(breaker.failures) {
            if now < openUntil { return .unavailable("the circuit to this service is open") }
            if halfOpenTrialTaken { return .unavailable("the circuit to this service is half-open, testing one request") }
            halfOpenTrialTaken = true
        }
        // Candidates are the usable endpoints not yet tried for this request, or, when
        // every usable one was tried, all usable ones. Counted and indexed in place:
        // a pick runs on every request and allocates nothing.
        func usable(_ index: Int) -> Bool { self.endpoints[index].healthy && self.endpoints[index].ejectedUntil <= now }
        func untried(_ index: Int) -> Bool { usable(index) && !excluding.contains(self.endpoints[index].address) }
        var freshCount = 0
        if !excluding.isEmpty { for index in endpoints.indices where untried(index) { freshCount += 1 } }
        let onlyUntried = freshCount > 0
        func isCandidate(_ index: Int) -> Bool { onlyUntried ? untried(index) : usable(index) }
        var count = freshCount
        if !onlyUntried { for index in endpoints.indices where usable(index) { count += 1 } }
        if count == 0 { return .unavailable("no healthy endpoint") }
        /// The `n`th candidate, in endpoint order.
        func candidate(_ n: Int) -> Int {
            var seen = 0
            for index in self.endpoints.indices where isCandidate(index) {
                if seen == n { return index }
                seen += 1
            }
            return self.endpoints.indices.last ?? 0
        }
        let chosen: Int
        if balance == .leastRequest && count > 1 {
            let first = candidate(random(count))
            var second = candidate(random(count - 1))
            if second == first { second = candidate(count - 1) }
            chosen = endpoints[second].active < endpoints[first].active ? second : first
        } else {
            turn &+= 1
            chosen = candidate(Int(UInt(bitPattern: turn) % UInt(count)))
        }
        endpoints[chosen].active += 1
        return .endpoint(endpoints[chosen].address)
    }

    /// An attempt ended: balancing, ejection and the breaker learn from it.
    public mutating func finished(_ address: UpstreamAddress, _ outcome: Outcome, now: Int64) {
        guard let index = endpoints.firstIndex(where: { $0.address == address }) else { return }
        endpoints[index].active = max(0, endpoints[index].active - 1)
        switch outcome {
        case .success:
            endpoints[index].consecutiveFailures = 0
            serviceFailures = 0
            halfOpenTrialTaken = false
        case .failure:
            endpoints[index].consecutiveFailures += 1
            if endpoints[index].consecutiveFailures >= Self.ejectAfter, endpoints.count > 1 {
                endpoints[index].ejectedUntil = now + Self.ejection
                endpoints[index].consecutiveFailures = 0
            }
            serviceFailures += 1
            if let breaker, serviceFailures >= Int(breaker.failures) {
                openUntil = now + Int64(breaker.cooldownMilliseconds)
                halfOpenTrialTaken = false
            }
        }
    }

    /// An active health check's result; `healthy`/`unhealthy` consecutive results flip it.
    public mutating func checked(_ address: UpstreamAddress, passed: Bool) {
        guard let index = endpoints.firstIndex(where: { $0.address == address }), let health else { return }
        if passed {
            endpoints[index].checkSuccesses += 1
            endpoints[index].checkFailures = 0
            if endpoints[index].checkSuccesses >= Int(health.healthy) { endpoints[index].healthy = true }
        } else {
            endpoints[index].checkFailures += 1
            endpoints[index].checkSuccesses = 0
            if endpoints[index].checkFailures >= Int(health.unhealthy) { endpoints[index].healthy = false }
        }
    }

    /// Counts a request; with `retry`, whether one more attempt is allowed: retries
    /// may be at most `budget` percent of the requests of the last ten seconds, with a
    /// floor of `minimumRetries` so a quiet service can still ride out a failure, and
    /// retries cannot multiply load on a struggling one.
    public mutating func admit(retry isRetry: Bool, now: Int64) -> Bool {
        if now - windowStart >= 10_000 {
            windowStart = now
            windowRequests = 0
            windowRetries = 0
        }
        guard isRetry else {
            windowRequests += 1
            return true
        }
        let budget = max(Self.minimumRetries, windowRequests * Int(retry?.budgetPercent ?? 20) / 100)
        guard windowRetries < budget else { return false }
        windowRetries += 1
        return true
    }
}
