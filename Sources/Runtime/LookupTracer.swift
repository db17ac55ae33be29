import Artifact

/// Receives each decision the router makes. Lookups in production use `NoTrace`,
/// which the optimizer removes entirely; `gateway explain` records the decisions.
public protocol LookupTracer {
    mutating func record(_ event: LookupEvent)
}

public enum LookupEvent: Sendable, Hashable {
    case host(pattern: String, kind: RoutingTable.Host.Kind)
    case segment(String)
    case staticEdge(label: String, matched: Bool)
    case constrained(pattern: String, matched: Bool)
    case parameter
    case wildcard(rest: String)
    case leaf(route: Int, methodMatches: Bool, guardsPass: Bool)
    case backtrack
}

public struct NoTrace: LookupTracer {
    public init() {}
    @inlinable public mutating func record(_ event: LookupEvent) {}
}

/// Collects every event, for `gateway explain` and tests.
public struct RecordingTracer: LookupTracer {
    public private(set) var events: [LookupEvent] = []
    public init() {}
    public mutating func record(_ event: LookupEvent) { events.append(event) }
}
