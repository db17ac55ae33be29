/// `services.NAME`: a backend the gateway routes to.
public struct Service: Sendable {
    public enum Balance: String, Sendable, Hashable, CaseIterable {
        case roundRobin = "round-robin"
        /// Power of two choices over in-flight requests.
        case leastRequest = "least-request"
    }

    public var name: Located<String>
    public var endpoints: [Located<Endpoint>]
    public var balance: Balance
    public var connectTimeout: Located<SpecDuration>?
    public var timeout: Located<SpecDuration>?
    public var retry: RetryPolicy?
    public var health: HealthCheck?
    public var circuitBreaker: CircuitBreaker?
    public var location: SourceLocation

    public init(name: Located<String>, endpoints: [Located<Endpoint>], balance: Balance = .roundRobin,
                connectTimeout: Located<SpecDuration>? = nil, timeout: Located<SpecDuration>? = nil,
                retry: RetryPolicy? = nil, health: HealthCheck? = nil, circuitBreaker: CircuitBreaker? = nil,
                location: SourceLocation) {
        self.name = name
        self.endpoints = endpoints
        self.balance = balance
        self.connectTimeout = connectTimeout
        self.timeout = timeout
        self.retry = retry
        self.health = health
        self.circuitBreaker = circuitBreaker
        self.location = location
    }
}

/// `retry:`, when a failed upstream attempt is tried again.
public struct RetryPolicy: Sendable, Hashable {
    public enum Condition: Sendable, Hashable, CustomStringConvertible {
        case connectError
        case timeout
        case status(Int)

        public var description: String {
            switch self {
            case .connectError: "connect-error"
            case .timeout: "timeout"
            case .status(let code): "\(code)"
            }
        }
    }

    public enum Scope: String, Sendable, Hashable, CaseIterable {
        /// GET, HEAD, OPTIONS, PUT and DELETE only (RFC 9110 9.2.2).
        case idempotent
        /// Every method; for backends that deduplicate by request id.
        case all
    }

    /// Total attempts, counting the first.
    public var attempts: Int
    public var on: [Condition]
    public var only: Scope
    /// Extra attempts may be at most this percentage of requests (a retry budget).
    public var budgetPercent: Int
    public var location: SourceLocation
}

/// `health:`, the active health check a service's endpoints are polled with.
public struct HealthCheck: Sendable, Hashable {
    public var path: String
    public var every: SpecDuration
    public var timeout: SpecDuration
    /// Consecutive successes that mark an endpoint healthy again.
    public var healthy: Int
    /// Consecutive failures that mark an endpoint unhealthy.
    public var unhealthy: Int
    public var location: SourceLocation
}

/// `circuit-breaker:`, when a failing service stops receiving traffic for a while.
public struct CircuitBreaker: Sendable, Hashable {
    /// Consecutive failures that open the circuit.
    public var failures: Int
    /// How long the circuit stays open before one trial request.
    public var cooldown: SpecDuration
    public var location: SourceLocation
}
