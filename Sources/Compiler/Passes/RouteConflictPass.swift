import Artifact
import GatewayDSL

/// Builds the routing trees, then finds routes that tie (two routes match one request
/// at the same precedence: an error with a witness request) and routes that can never
/// match (every request they accept is taken by higher-precedence routes).
struct RouteConflictPass: CompilerPass {
    let name = "detect-route-conflicts"

    func run(_ context: inout CompilationContext) {
        var tries: [String: HostTrie] = [:]
        var hostOfRoute: [String] = []
        for (index, route) in context.spec.routes.enumerated() {
            let (key, kind, pattern) = Self.host(route)
            hostOfRoute.append(key)
            let trie = tries[key] ?? HostTrie(pattern: pattern, kind: kind)
            var node = trie.root
            for segment in context.segments[index] { node = node.child(for: segment) }
            node.leaves.append(index)
            tries[key] = trie
        }
        context.tries = tries.values.sorted { $0.sortKey < $1.sortKey }
        var reported = Set<[Int]>()
        var intersections = IntersectionCache()
        for (index, _) in context.spec.routes.enumerated() {
            guard let trie = tries[hostOfRoute[index]] else { continue }
            let candidates = Self.overlapping(context.segments[index], in: trie.root, &intersections).filter { $0 != index }
            check(index, against: candidates, &context, reported: &reported)
        }
    }

    static func host(_ route: Route) -> (key: String, kind: RoutingTable.Host.Kind, pattern: String) {
        guard let host = route.host?.value else { return ("", .any, "") }
        if host.hasPrefix("*.") { return (host, .wildcard, String(host.dropFirst(2))) }
        return (host, .exact, host)
    }

    // MARK: Candidates

    /// Routes in the tree that could match some request this route matches.
    static func overlapping(_ segments: [RouteSegment], in root: TrieNode, _ intersections: inout IntersectionCache) -> [Int] {
        var found: [Int] = []
        func walk(_ node: TrieNode, _ position: Int) {
            if position == segments.count {
                found += node.leaves
                return
            }
            let segment = segments[position]
            if case .wildcard = segment {
                for child in children(of: node) { found += child.allLeaves() }
                return
            }
            if let wildcard = node.wildcard { found += wildcard.leaves }
            switch segment {
            case .literal(let text):
                if let child = node.statics[text] { walk(child, position + 1) }
                for entry in node.constrained where entry.dfa.accepts(text.utf8) { walk(entry.node, position + 1) }
            case .constrained(let key, let dfa):
                for (text, child) in node.statics where dfa.accepts(text.utf8) { walk(child, position + 1) }
                for entry in node.constrained where intersections.intersect(key, dfa, entry.key, entry.dfa) { walk(entry.node, position + 1) }
            default:
                for child in node.statics.values { walk(child, position + 1) }
                for entry in node.constrained { walk(entry.node, position + 1) }
            }
            if let parameter = node.parameter { walk(parameter, position + 1) }
        }
        walk(root, 0)
        return Array(Set(found)).sorted()
    }

    /// Whether two constraints share a value, computed once per pair of constraint texts.
    struct IntersectionCache {
        private var known: [[String]: Bool] = [:]

        mutating func intersect(_ a: String, _ x: SegmentDFA, _ b: String, _ y: SegmentDFA) -> Bool {
            if a == b { return true }
            let key = a < b ? [a, b] : [b, a]
            if let result = known[key] { return result }
            // An unknown answer (search too large) counts as overlapping: conservative.
            let result = ProductSearch.memberships(primary: x, others: [y]).map { $0[.init(accepted: [true])] != nil } ?? true
            known[key] = result
            return result
        }
    }

    private static func children(of node: TrieNode) -> [TrieNode] {
        Array(node.statics.values) + node.constrained.map(\.node) + [node.parameter, node.wildcard].compactMap { $0 }
    }

    // MARK: Ties and shadowing

    private func check(_ index: Int, against candidates: [Int], _ context: inout CompilationContext, reported: inout Set<[Int]>) {
        let routes = context.spec.routes
        let route = routes[index]
        var higher: [Int] = []
        for other in candidates {
            let shared = Self.methods(route).intersection(Self.methods(routes[other]))
            guard !shared.isEmpty else { continue }
            switch Self.precedence(context.segments[index], context.segments[other]) {
            case .first: continue
            case .second:
                if routes[other].guards.isEmpty { higher.append(other) }
            case .tie:
                guard Self.guardsMayOverlap(route.guards, routes[other].guards), route.guards.isEmpty == routes[other].guards.isEmpty,
                      reported.insert([min(index, other), max(index, other)]).inserted else { continue }
                reportTie(first: min(index, other), second: max(index, other), methods: shared, &context)
            }
        }
        if !higher.isEmpty, Self.isShadowed(index, by: higher, context) {
            let names = higher.map { "`\(routes[$0].key.value)`" }.joined(separator: ", ")
            context.bag.error(.routeShadowed, "route `\(route.key.value)` can never match: every request it accepts goes to \(names)",
                              at: route.key.location, hint: "remove it, or narrow the routes that take its requests",
                              notes: higher.map { .init("takes its requests first", at: routes[$0].key.location) })
        }
    }

    private enum Precedence { case first, second, tie }

    /// Which route a request both match goes to: the first position where their
    /// segment kinds differ decides, static beating constrained beating parameter
    /// beating wildcard.
    private static func precedence(_ a: [RouteSegment], _ b: [RouteSegment]) -> Precedence {
        for (x, y) in zip(a, b) where x.rank != y.rank {
            return x.rank < y.rank ? .first : .second
        }
        if a.count == b.count { return .tie }
        // Equal kinds up to the shorter one: only a wildcard at the end can reach further.
        return a.count > b.count ? .first : .second
    }

    static func methods(_ route: Route) -> Set<HTTPMethod> { Set(route.methods ?? HTTPMethod.allCases) }

    /// Guards rule each other out when they test one header or parameter for values
    /// that cannot both hold.
    private static func guardsMayOverlap(_ a: [RequestGuard], _ b: [RequestGuard]) -> Bool {
        for x in a {
            for y in b where x.source == y.source && x.name == y.name {
                switch (x.test, y.test) {
                case (.present, .absent), (.absent, .present), (.oneOf, .absent), (.absent, .oneOf): return false
                case (.oneOf(let p), .oneOf(let q)) where Set(p).isDisjoint(with: q): return false
                default: continue
                }
            }
        }
        return true
    }

    private func reportTie(first: Int, second: Int, methods: Set<HTTPMethod>, _ context: inout CompilationContext) {
        let routes = context.spec.routes
        let witness = Self.witness(context.segments[first], context.segments[second], method: methods.min() ?? .get, route: routes[second])
        context.bag.error(.routeConflict, "routes `\(routes[first].key.value)` and `\(routes[second].key.value)` both match `\(witness)` at the same precedence",
                          at: routes[second].key.location,
                          hint: "make one path more specific (a static segment or a constraint), or tell them apart with `match:`",
                          notes: [.init("the other route", at: routes[first].key.location)])
    }

    /// A concrete request both routes accept.
    private static func witness(_ a: [RouteSegment], _ b: [RouteSegment], method: HTTPMethod, route: Route) -> String {
        let parts = zip(a, b).map { x, y -> String in
            if case .literal(let text) = x { return text }
            if case .literal(let text) = y { return text }
            let bytes = ProductSearch.intersection(x.dfa, y.dfa) ?? Array("x".utf8)
            return String(decoding: bytes, as: UTF8.self)
        }
        var text = "\(method.rawValue) /\(parts.joined(separator: "/"))"
        if let host = route.host?.value { text += " Host: \(host.hasPrefix("*.") ? "www." + host.dropFirst(2) : host)" }
        for guardRule in route.guards {
            if case .oneOf(let values) = guardRule.test, let value = values.first {
                text += guardRule.source == .header ? " \(guardRule.name): \(value)" : "?\(guardRule.name)=\(value)"
            }
        }
        return text
    }

    /// Whether every request route `index` accepts, for each of its methods, is taken
    /// by one of `higher`. Routes ending in a wildcard are not checked (they accept
    /// arbitrarily long paths); a search that grows too large counts as "not shadowed".
    private static func isShadowed(_ index: Int, by higher: [Int], _ context: CompilationContext) -> Bool {
        let segments = context.segments[index]
        if segments.contains(where: { if case .wildcard = $0 { return true }; return false }) { return false }
        let routes = context.spec.routes
        for method in methods(routes[index]) {
            let covering = higher.filter { methods(routes[$0]).contains(method) }
            if covering.isEmpty { return false }
            if reachable(segments, covering.map { context.segments[$0] }) { return false }
        }
        return true
    }

    /// Searches position by position for a request this route accepts that none of
    /// `others` does; each step follows the distinct membership patterns of a segment.
    private static func reachable(_ segments: [RouteSegment], _ others: [[RouteSegment]]) -> Bool {
        struct Step: Hashable { var position: Int; var alive: [Int] }
        var queue = [Step(position: 0, alive: Array(others.indices))]
        var seen = Set(queue)
        while let step = queue.popLast() {
            let dfas = step.alive.map { other -> SegmentDFA in
                let segs = others[other]
                return step.position < segs.count ? segs[step.position].dfa : (segs.last.map { $0.rank == 3 ? SegmentDFA.anySegment : .literal("") } ?? .literal(""))
            }
            guard let patterns = ProductSearch.memberships(primary: segments[step.position].dfa, others: dfas) else { return true }
            for membership in patterns.keys {
                let alive = zip(step.alive, membership.accepted).filter(\.1).map(\.0)
                if alive.isEmpty { return true }
                let next = Step(position: step.position + 1, alive: alive)
                if next.position == segments.count { continue }
                if seen.insert(next).inserted { queue.append(next) }
            }
        }
        return false
    }
}
