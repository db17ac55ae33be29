/// `to:` or `respond:`, where a matched request goes.
public enum RouteTarget: Sendable {
    case upstream(UpstreamTarget)
    case fixed(FixedResponse)
}

/// `to: SERVICE /path/{param}`: the upstream service and the path it receives.
public struct UpstreamTarget: Sendable {
    public var service: Located<String>
    /// The upstream path template; nil forwards the normalized request path unchanged.
    public var path: UpstreamPath?
    public var location: SourceLocation
}

/// The rewritten upstream path: literal text with `{param}` holes.
public struct UpstreamPath: Sendable, Hashable, CustomStringConvertible {
    public enum Part: Sendable, Hashable {
        case literal(String)
        case parameter(String, SourceLocation)
    }

    public var parts: [Part]

    public var description: String {
        parts.map { part in
            switch part {
            case .literal(let text): text
            case .parameter(let name, _): "{\(name)}"
            }
        }.joined()
    }
}
