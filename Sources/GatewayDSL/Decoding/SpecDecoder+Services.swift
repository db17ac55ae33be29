extension SpecDecoder {
    mutating func decodeDefaults(_ node: YAMLNode) -> (Defaults, SourceLocation)? {
        guard let mapping = expectMapping(node, what: "`defaults`", example: "defaults:\n  timeout: 5s") else { return nil }
        let fields = Fields(mapping, allowed: SpecSchema.defaults, context: "`defaults`", bag: &bag)
        var defaults = Defaults()
        defaults.timeout = fields["timeout"].flatMap { duration($0, what: "`timeout`") }
        defaults.connectTimeout = fields["connect-timeout"].flatMap { duration($0, what: "`connect-timeout`") }
        defaults.bodyLimit = fields["body-limit"].flatMap { size($0, what: "`body-limit`") }
        defaults.headerLimit = fields["header-limit"].flatMap { size($0, what: "`header-limit`", maximum: ByteSize(bytes: 1 << 20)) }
        defaults.headerTimeout = fields["header-timeout"].flatMap { duration($0, what: "`header-timeout`") }
        defaults.idleTimeout = fields["idle-timeout"].flatMap { duration($0, what: "`idle-timeout`") }
        defaults.maxConnections = fields["max-connections"].flatMap { integer($0, what: "`max-connections`", range: 1...1_000_000) }
        defaults.envelope = fields["envelope"].flatMap { bool($0, what: "`envelope`") }
        defaults.onStoreFailure = fields["on-store-failure"].flatMap { choice($0, what: "`on-store-failure`", as: RateLimit.StoreFailure.self) }
        return (defaults, mapping.location)
    }

    mutating func decodeService(_ name: Located<String>, _ node: YAMLNode) -> Service? {
        let context = "service `\(name.value)`"
        guard let mapping = expectMapping(node, what: context, example: "endpoints: [http://pricing:8080]") else { return nil }
        let fields = Fields(mapping, allowed: SpecSchema.service, context: context, bag: &bag)
        var endpoints: [Located<Endpoint>] = []
        if let node = fields["endpoints"] {
            for item in list(node, what: "`endpoints`", example: "[http://pricing-1:8080, http://pricing-2:8080]") {
                guard let text = string(item, what: "an endpoint", example: "http://pricing:8080") else { continue }
                switch Endpoint.parse(text.value) {
                case .success(let endpoint): endpoints.append(Located(endpoint, at: text.location))
                case .failure(let error):
                    bag.error(.invalidValue, "endpoint `\(text.value.truncatedForMessage)`: \(error.reason)", at: text.location,
                              hint: "for example: http://pricing-1:8080")
                }
            }
            if endpoints.isEmpty, case .sequence = node {
                bag.error(.missingKey, "\(context) lists no endpoints", at: node.location, hint: "add at least one URL, e.g. [http://pricing:8080]")
            }
        } else {
            bag.error(.missingKey, "\(context) has no `endpoints`", at: name.location,
                      hint: "add `endpoints: [http://host:port]`")
        }
        var service = Service(name: name, endpoints: endpoints, location: name.location)
        service.balance = fields["balance"].flatMap { choice($0, what: "`balance`", as: Service.Balance.self) }?.value ?? .roundRobin
        service.connectTimeout = fields["connect-timeout"].flatMap { duration($0, what: "`connect-timeout`") }
        service.timeout = fields["timeout"].flatMap { duration($0, what: "`timeout`") }
        service.retry = fields["retry"].flatMap { decodeRetry($0) }
        service.health = fields["health"].flatMap { decodeHealth($0) }
        service.circuitBreaker = fields["circuit-breaker"].flatMap { decodeCircuitBreaker($0) }
        return service
    }

    private mutating func decodeRetry(_ node: YAMLNode) -> RetryPolicy? {
        guard let mapping = expectMapping(node, what: "`retry`", example: "retry: { attempts: 2, on: [connect-error, 503] }") else { return nil }
        let fields = Fields(mapping, allowed: SpecSchema.retry, context: "`retry`", bag: &bag)
        var conditions: [RetryPolicy.Condition] = []
        for item in fields["on"].map({ list($0, what: "`on`", example: "[connect-error, timeout, 503]") }) ?? [] {
            guard let text = string(item, what: "a retry condition", example: "connect-error") else { continue }
            switch text.value {
            case "connect-error": conditions.append(.connectError)
            case "timeout": conditions.append(.timeout)
            case let code where Int(code).map({ (500...599).contains($0) }) ?? false: conditions.append(.status(Int(code) ?? 0))
            default:
                bag.error(.invalidValue, "retry condition `\(text.value.truncatedForMessage)` is not known", at: text.location,
                          hint: "use `connect-error`, `timeout` or a 5xx status such as `503`")
            }
        }
        return RetryPolicy(
            attempts: fields["attempts"].flatMap { integer($0, what: "`attempts`", range: 1...10) }?.value ?? 2,
            on: conditions.isEmpty ? [.connectError] : conditions,
            only: fields["only"].flatMap { choice($0, what: "`only`", as: RetryPolicy.Scope.self) }?.value ?? .idempotent,
            budgetPercent: fields["budget"].flatMap { integer($0, what: "`budget` (percent)", range: 1...100) }?.value ?? 20,
            location: mapping.location)
    }

    private mutating func decodeHealth(_ node: YAMLNode) -> HealthCheck? {
        guard let mapping = expectMapping(node, what: "`health`", example: "health: { path: /healthz, every: 5s }") else { return nil }
        let fields = Fields(mapping, allowed: SpecSchema.health, context: "`health`", bag: &bag)
        var path = "/healthz"
        if let node = fields["path"], let text = string(node, what: "`path`", example: "/healthz") {
            if text.value.hasPrefix("/") { path = text.value } else {
                bag.error(.invalidValue, "health `path` must start with `/`", at: text.location, hint: "write `/\(text.value)`")
            }
        }
        let every = fields["every"].flatMap { duration($0, what: "`every`", minimum: SpecDuration(milliseconds: 100)) }?.value
        let timeout = fields["timeout"].flatMap { duration($0, what: "`timeout`") }?.value
        let resolvedEvery = every ?? SpecDuration(milliseconds: 5_000)
        let resolvedTimeout = timeout ?? min(SpecDuration(milliseconds: 1_000), resolvedEvery)
        if resolvedTimeout > resolvedEvery, let node = fields["timeout"] {
            bag.error(.outOfRange, "health `timeout` (\(resolvedTimeout)) is longer than `every` (\(resolvedEvery))", at: node.location,
                      hint: "a check must finish before the next one starts")
        }
        return HealthCheck(
            path: path, every: resolvedEvery, timeout: resolvedTimeout,
            healthy: fields["healthy"].flatMap { integer($0, what: "`healthy`", range: 1...100) }?.value ?? 2,
            unhealthy: fields["unhealthy"].flatMap { integer($0, what: "`unhealthy`", range: 1...100) }?.value ?? 3,
            location: mapping.location)
    }

    private mutating func decodeCircuitBreaker(_ node: YAMLNode) -> CircuitBreaker? {
        guard let mapping = expectMapping(node, what: "`circuit-breaker`", example: "circuit-breaker: { failures: 5, cooldown: 30s }") else { return nil }
        let fields = Fields(mapping, allowed: SpecSchema.circuitBreaker, context: "`circuit-breaker`", bag: &bag)
        return CircuitBreaker(
            failures: fields["failures"].flatMap { integer($0, what: "`failures`", range: 1...1_000) }?.value ?? 5,
            cooldown: fields["cooldown"].flatMap { duration($0, what: "`cooldown`") }?.value ?? SpecDuration(milliseconds: 30_000),
            location: mapping.location)
    }
}
