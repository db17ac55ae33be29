import Artifact

/// Decides a route's `match:` guards for the request being routed. A protocol rather
/// than a closure so lookups stay specialized and allocation-free.
public protocol RouteGuards {
    func passes(_ rule: RoutingTable.Guard) -> Bool
}

/// For requests routed without headers or query (benchmarks, and specs without `match:`):
/// every guard fails, so guarded routes are never chosen.
public struct NoGuards: RouteGuards {
    public init() {}
    public func passes(_ rule: RoutingTable.Guard) -> Bool { false }
}

/// Guards decided from lists of header and query pairs (header names lower-case).
public struct ListGuards: RouteGuards {
    public var headers: [(name: String, value: String)]
    public var query: [(name: String, value: String)]

    public init(headers: [(name: String, value: String)], query: [(name: String, value: String)] = []) {
        self.headers = headers
        self.query = query
    }

    public func passes(_ rule: RoutingTable.Guard) -> Bool {
        let value = rule.source == .header ? headers.first { $0.name == rule.name }?.value : query.first { $0.name == rule.name }?.value
        switch rule.test {
        case .present: return value != nil
        case .absent: return value == nil
        case .oneOf: return value.map(rule.values.contains) ?? false
        }
    }
}

/// Guards decided from a request's headers, read by name when a guard asks (the
/// engine's: most routes have none, so the request is not looked at).
struct RequestGuards: RouteGuards {
    let request: RequestHead

    func passes(_ rule: RoutingTable.Guard) -> Bool {
        let value = rule.source == .header ? request.header(rule.name) : nil
        switch rule.test {
        case .present: return value != nil
        case .absent: return value == nil
        case .oneOf: return value.map(rule.values.contains) ?? false
        }
    }
}
