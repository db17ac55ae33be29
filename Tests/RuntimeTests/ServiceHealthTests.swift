import Artifact
import Testing
@testable import Runtime

/// Choosing upstream endpoints: balancing, ejection, health checks, the circuit
/// breaker and the retry budget, with time passed in.
@Suite("Upstream endpoints")
struct ServiceHealthTests {
    static let a = UpstreamAddress(host: "10.0.0.1", port: 80), b = UpstreamAddress(host: "10.0.0.2", port: 80), c = UpstreamAddress(host: "10.0.0.3", port: 80)

    static func service(_ balance: ServiceEntry.Balance = .roundRobin, breaker: ServiceEntry.Breaker? = nil,
                        health: ServiceEntry.Health? = nil, budget: UInt8 = 20) -> ServiceEntry {
        ServiceEntry(name: "s", endpoints: [], balance: balance, connectTimeoutMilliseconds: 100, timeoutMilliseconds: 1_000,
                     retry: ServiceEntry.Retry(attempts: 3, onConnectError: true, onTimeout: true, onStatuses: [503], idempotentOnly: true, budgetPercent: budget),
                     health: health, breaker: breaker)
    }

    static func address(_ pick: ServiceHealth.Pick) -> UpstreamAddress? {
        if case .endpoint(let address) = pick { return address }
        return nil
    }

    @Test("Round robin takes each endpoint in turn, and a retry avoids the endpoints already tried")
    func roundRobin() {
        var health = ServiceHealth(addresses: [Self.a, Self.b, Self.c], service: Self.service())
        let picks = (0..<6).compactMap { _ in Self.address(health.pick(now: 0)) }
        #expect(Set(picks) == [Self.a, Self.b, Self.c] && picks[0] == picks[3])
        for _ in 0..<10 {
            let pick = health.pick(now: 0, excluding: [Self.a, Self.b])
            #expect(Self.address(pick) == Self.c)
        }
    }

    @Test("Least-request sends to the less busy of two random endpoints")
    func leastRequest() {
        var health = ServiceHealth(addresses: [Self.a, Self.b], service: Self.service(.leastRequest))
        var sequence = [0, 0]
        let first = Self.address(health.pick(now: 0) { _ in sequence.removeFirst() })
        // `first` now has one request in flight; the other endpoint wins every pair.
        for _ in 0..<5 {
            let pick = health.pick(now: 0)
            let next = Self.address(pick)
            #expect(next != first)
            if let next { health.finished(next, .success, now: 0) }
        }
    }

    @Test("Five consecutive failures eject an endpoint for 30 s; traffic goes to the others, then it returns")
    func ejection() {
        var health = ServiceHealth(addresses: [Self.a, Self.b], service: Self.service())
        for _ in 0..<5 { health.finished(Self.a, .failure, now: 1_000) }
        for _ in 0..<6 {
            let pick = health.pick(now: 2_000)
            #expect(Self.address(pick) == Self.b)
        }
        let later = (0..<4).compactMap { _ in Self.address(health.pick(now: 31_001)) }
        #expect(later.contains(Self.a))
    }

    @Test("Active checks mark an endpoint down after `unhealthy` failures and up after `healthy` passes")
    func activeChecks() {
        var health = ServiceHealth(addresses: [Self.a, Self.b],
                                   service: Self.service(health: ServiceEntry.Health(path: "/healthz", everyMilliseconds: 1_000, timeoutMilliseconds: 500, healthy: 2, unhealthy: 2)))
        health.checked(Self.a, passed: false)
        #expect(health.endpoints[0].healthy)
        health.checked(Self.a, passed: false)
        #expect(!health.endpoints[0].healthy)
        for _ in 0..<4 {
            let pick = health.pick(now: 0)
            #expect(Self.address(pick) == Self.b)
        }
        health.checked(Self.a, passed: true)
        health.checked(Self.a, passed: true)
        #expect(health.endpoints[0].healthy)
        health.checked(Self.b, passed: false)
        health.checked(Self.b, passed: false)
        health.checked(Self.a, passed: false)
        health.checked(Self.a, passed: false)
        let none = health.pick(now: 0)
        #expect(none == .unavailable("no healthy endpoint"))
    }

    @Test("The breaker opens after its failures, refuses during the cooldown, then lets one trial through")
    func breaker() {
        var health = ServiceHealth(addresses: [Self.a], service: Self.service(breaker: ServiceEntry.Breaker(failures: 3, cooldownMilliseconds: 10_000)))
        for _ in 0..<3 { health.finished(Self.a, .failure, now: 0) }
        let open = health.pick(now: 5_000)
        #expect(open == .unavailable("the circuit to this service is open"))
        let trial = health.pick(now: 10_000)
        #expect(Self.address(trial) == Self.a)
        let waiting = health.pick(now: 10_001)
        #expect(waiting == .unavailable("the circuit to this service is half-open, testing one request"))
        health.finished(Self.a, .success, now: 10_050)
        let closed = health.pick(now: 10_100)
        #expect(Self.address(closed) == Self.a)
    }

    @Test("Retries stay within the budget: 20% of the window's requests, at least ten")
    func budget() {
        var health = ServiceHealth(addresses: [Self.a], service: Self.service(budget: 20))
        for _ in 0..<100 { _ = health.admit(retry: false, now: 0) }
        let allowed = (0..<30).filter { _ in health.admit(retry: true, now: 1) }.count
        #expect(allowed == 20)
        var quiet = ServiceHealth(addresses: [Self.a], service: Self.service(budget: 20))
        _ = quiet.admit(retry: false, now: 0)
        let quietAllowed = (0..<30).filter { _ in quiet.admit(retry: true, now: 1) }.count
        #expect(quietAllowed == ServiceHealth.minimumRetries)
        let nextWindow = quiet.admit(retry: true, now: 10_000)
        #expect(nextWindow)
    }
}
