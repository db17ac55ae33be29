import Artifact
import GatewayDSL

/// What the passes share: the spec, the diagnostics, and each pass's results.
struct CompilationContext {
    let spec: Spec
    let options: Compiler.Options
    var bag = DiagnosticBag()

    // ResolvePass
    var serviceIndex: [String: Int] = [:]
    var issuerIndex: [String: Int] = [:]
    /// Role name to its permissions, inherited ones included, sorted.
    var effectivePermissions: [String: [String]] = [:]
    /// Role name to the roles that satisfy `allow: [it]`: itself and every role inheriting it.
    var satisfyingRoles: [String: [String]] = [:]
    var limits: [LimitEntry] = []
    var roleLimits: [String: UInt32] = [:]
    var planLimits: [String: UInt32] = [:]
    /// Per route, the limits its `limit:` entries became.
    var routeLimits: [[UInt32]] = []
    var corsPolicies: [GatewaySettings.CORS] = []
    var routeCORS: [UInt32?] = []
    var csrfPolicies: [GatewaySettings.CSRF] = []
    var routeCSRF: [UInt32?] = []
    var segments: [[RouteSegment]] = []

    // TypeCheckPass
    var policyConditions: [String: (condition: TypedCondition, start: SourceLocation)] = [:]
    /// Per route, each condition with the label `ASSERT` reports and where its text starts.
    var routeConditions: [[(condition: TypedCondition, label: String, start: SourceLocation)]] = []

    // RouteConflictPass
    var tries: [HostTrie] = []

    // Lowering
    var routing: RoutingTable?
    var program = ProgramBuilder()
    var fixedResponses: [GatewaySettings.FixedResponse] = []
    var routeEntries: [RouteEntry] = []
    var artifact: Artifact?
    var bytes: [UInt8]?

    init(spec: Spec, options: Compiler.Options) {
        self.spec = spec
        self.options = options
    }
}

/// A route path segment as the router sees it, in precedence order.
enum RouteSegment {
    case literal(String)
    /// `key` identifies the constraint (its text), so equal constraints share an edge.
    case constrained(key: String, dfa: SegmentDFA)
    case parameter
    case wildcard

    /// Lower ranks win: static, then constrained, then parameter, then wildcard.
    var rank: Int {
        switch self {
        case .literal: 0
        case .constrained: 1
        case .parameter: 2
        case .wildcard: 3
        }
    }

    var dfa: SegmentDFA {
        switch self {
        case .literal(let text): .literal(text)
        case .constrained(_, let dfa): dfa
        case .parameter, .wildcard: .anySegment
        }
    }
}
