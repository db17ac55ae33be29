import Artifact

/// Looks up the route for a request in an artifact's routing table.
///
/// The tables are copied once into raw buffers the router owns and never changes, so
/// a lookup allocates nothing and reads each path byte about once. Matching follows
/// the documented precedence with backtracking: at each segment a static edge is
/// tried first, then constrained parameters, then the plain parameter, then the
/// wildcard tail; the first route whose method and guards fit wins. HEAD requests
/// match GET routes. A path that matches only with other methods gives the Allow set.
///
/// The router expects a normalized path (see design.md): it starts with `/`, has no
/// empty, `.` or `..` segments and no trailing slash except for the root.
public final class Router: @unchecked Sendable {
    // @unchecked: every buffer is written once in `init` and only read afterwards.
    private let nodes: UnsafeMutableBufferPointer<RoutingTable.Node>
    private let statics: UnsafeMutableBufferPointer<RoutingTable.StaticEdge>
    private let dynamics: UnsafeMutableBufferPointer<RoutingTable.DynamicEdge>
    private let labels: UnsafeMutableBufferPointer<UInt8>
    private let leaves: UnsafeMutableBufferPointer<RoutingTable.Leaf>
    private let hosts: UnsafeMutableBufferPointer<HostSlot>
    private let hostBytes: UnsafeMutableBufferPointer<UInt8>
    private let matcherSlots: UnsafeMutableBufferPointer<MatcherSlot>
    private let transitions: UnsafeMutableBufferPointer<UInt16>
    private let accepting: UnsafeMutableBufferPointer<Bool>
    public let table: RoutingTable

    private struct HostSlot {
        var kind: RoutingTable.Host.Kind
        var root: Int
        var patternStart: Int
        var patternLength: Int
    }

    private struct MatcherSlot {
        var transitions: Int
        var accepting: Int
    }

    public init(_ table: RoutingTable) {
        self.table = table
        nodes = Self.buffer(table.nodes)
        statics = Self.buffer(table.staticEdges)
        dynamics = Self.buffer(table.dynamicEdges)
        labels = Self.buffer(table.labels)
        leaves = Self.buffer(table.leaves)
        var patternBytes: [UInt8] = []
        hosts = Self.buffer(table.hosts.map { host in
            defer { patternBytes += Array(host.pattern.utf8) }
            return HostSlot(kind: host.kind, root: Int(host.root), patternStart: patternBytes.count, patternLength: host.pattern.utf8.count)
        })
        hostBytes = Self.buffer(patternBytes)
        var allTransitions: [UInt16] = []
        var allAccepting: [Bool] = []
        matcherSlots = Self.buffer(table.matchers.map { matcher in
            defer {
                allTransitions += matcher.transitions
                allAccepting += matcher.accepting
            }
            return MatcherSlot(transitions: allTransitions.count, accepting: allAccepting.count)
        })
        transitions = Self.buffer(allTransitions)
        accepting = Self.buffer(allAccepting)
    }

    private static func buffer<T>(_ array: [T]) -> UnsafeMutableBufferPointer<T> {
        let buffer = UnsafeMutableBufferPointer<T>.allocate(capacity: max(1, array.count))
        _ = buffer.initialize(from: array)
        return UnsafeMutableBufferPointer(rebasing: buffer[0..<array.count])
    }

    deinit {
        nodes.deallocate()
        statics.deallocate()
        dynamics.deallocate()
        labels.deallocate()
        leaves.deallocate()
        hosts.deallocate()
        hostBytes.deallocate()
        matcherSlots.deallocate()
        transitions.deallocate()
        accepting.deallocate()
    }

    static let get: UInt8 = 1
    static let head: UInt8 = 2

    /// Finds the route for `method` (a `MethodSet` bit) and `path` on `host`
    /// (lower-case, no port). Captured parameter ranges are written to `captures`,
    /// which needs room for `Artifact.maxParameters`.
    public func lookup(host: UnsafeBufferPointer<UInt8>, method: UInt8, path: UnsafeBufferPointer<UInt8>,
                       captures: UnsafeMutableBufferPointer<PathCapture>) -> RouteLookup {
        var tracer = NoTrace()
        return lookup(host: host, method: method, path: path, captures: captures, guards: NoGuards(), tracer: &tracer)
    }

    /// The same with `match:` guards decided by `guards`.
    public func lookup<Guards: RouteGuards>(host: UnsafeBufferPointer<UInt8>, method: UInt8, path: UnsafeBufferPointer<UInt8>,
                                            captures: UnsafeMutableBufferPointer<PathCapture>, guards: Guards) -> RouteLookup {
        var tracer = NoTrace()
        return lookup(host: host, method: method, path: path, captures: captures, guards: guards, tracer: &tracer)
    }

    /// The same, reporting every decision to `tracer` (for `gateway explain`).
    public func lookup<Guards: RouteGuards, Tracer: LookupTracer>(
        host: UnsafeBufferPointer<UInt8>, method: UInt8, path: UnsafeBufferPointer<UInt8>,
        captures: UnsafeMutableBufferPointer<PathCapture>, guards: Guards, tracer: inout Tracer
    ) -> RouteLookup {
        var allowed: UInt8 = 0
        for slot in hosts where hostMatches(slot, host) {
            if Tracer.self != NoTrace.self {
                let entry = table.hosts[hosts.firstIndex { $0.root == slot.root } ?? 0]
                tracer.record(.host(pattern: entry.pattern, kind: entry.kind))
            }
            var search = Search(path: path, method: method, captures: captures)
            let start = path.count > 1 ? 1 : path.count
            let route = find(slot.root, at: start, &search, guards, &tracer)
            if route >= 0 { return .matched(route: route, captures: search.captureCount) }
            allowed |= search.allowed
        }
        return allowed != 0 ? .methodNotAllowed(allowed: allowed) : .notFound
    }

    private struct Search {
        let path: UnsafeBufferPointer<UInt8>
        let method: UInt8
        let captures: UnsafeMutableBufferPointer<PathCapture>
        var captureCount = 0
        var allowed: UInt8 = 0
    }

    /// Depth-first search in precedence order; returns a route index or -1.
    private func find<Guards: RouteGuards, Tracer: LookupTracer>(
        _ nodeIndex: Int, at position: Int, _ search: inout Search, _ guards: Guards, _ tracer: inout Tracer
    ) -> Int {
        let node = nodes[nodeIndex]
        let path = search.path
        guard position < path.count else { return leaf(node, &search, guards, &tracer) }
        var end = position
        while end < path.count && path[end] != UInt8(ascii: "/") { end &+= 1 }
        let next = end < path.count ? end &+ 1 : end
        let length = end &- position
        if Tracer.self != NoTrace.self { tracer.record(.segment(Self.text(path, position, end))) }

        if node.staticCount > 0, length > 0, let child = staticChild(node, path, position, length, &tracer) {
            let route = find(child, at: next, &search, guards, &tracer)
            if route >= 0 { return route }
            tracer.record(.backtrack)
        }
        guard node.dynamicCount > 0, length > 0, search.captureCount < search.captures.count else { return -1 }
        let first = Int(node.dynamicStart)
        for index in first..<(first &+ Int(node.dynamicCount)) {
            let edge = dynamics[index]
            switch edge.kind {
            case .constrained:
                let matched = matches(Int(edge.matcher), path, position, end)
                if Tracer.self != NoTrace.self { tracer.record(.constrained(pattern: table.matchers[Int(edge.matcher)].source, matched: matched)) }
                guard matched else { continue }
            case .parameter:
                tracer.record(.parameter)
            case .wildcard:
                if Tracer.self != NoTrace.self { tracer.record(.wildcard(rest: Self.text(path, position, path.count))) }
                search.captures[search.captureCount] = PathCapture(start: Int32(position), end: Int32(path.count))
                search.captureCount &+= 1
                let route = leaf(nodes[Int(edge.child)], &search, guards, &tracer)
                if route >= 0 { return route }
                search.captureCount &-= 1
                continue
            }
            search.captures[search.captureCount] = PathCapture(start: Int32(position), end: Int32(end))
            search.captureCount &+= 1
            let route = find(Int(edge.child), at: next, &search, guards, &tracer)
            if route >= 0 { return route }
            search.captureCount &-= 1
            tracer.record(.backtrack)
        }
        return -1
    }

    /// Runs matcher `index`'s DFA over one segment; non-ASCII bytes never match.
    private func matches(_ index: Int, _ path: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int) -> Bool {
        let slot = matcherSlots[index]
        var state = 0
        var position = start
        while position < end {
            let byte = path[position]
            guard byte < 128 else { return false }
            let next = transitions[slot.transitions &+ state &* 128 &+ Int(byte)]
            if next == RoutingTable.Matcher.dead { return false }
            state = Int(next)
            position &+= 1
        }
        return accepting[slot.accepting &+ state]
    }

    /// Binary search over the node's static edges, ordered by length then bytes.
    private func staticChild<Tracer: LookupTracer>(_ node: RoutingTable.Node, _ path: UnsafeBufferPointer<UInt8>, _ position: Int, _ length: Int, _ tracer: inout Tracer) -> Int? {
        var low = Int(node.staticStart)
        var high = low &+ Int(node.staticCount)
        let segment = path.baseAddress.unsafelyUnwrapped + position
        let labelBase = labels.baseAddress.unsafelyUnwrapped
        while low < high {
            let middle = (low &+ high) >> 1
            let edge = statics[middle]
            let edgeLength = Int(edge.labelLength)
            var order = edgeLength < length ? -1 : (edgeLength > length ? 1 : 0)
            if order == 0 { order = compareBytes(labelBase + Int(edge.labelStart), segment, length) }
            if order == 0 {
                if Tracer.self != NoTrace.self { tracer.record(.staticEdge(label: table.label(edge), matched: true)) }
                return Int(edge.child)
            }
            if order < 0 { low = middle &+ 1 } else { high = middle }
        }
        if Tracer.self != NoTrace.self { tracer.record(.staticEdge(label: Self.text(path, position, position + length), matched: false)) }
        return nil
    }

    private func leaf<Guards: RouteGuards, Tracer: LookupTracer>(_ node: RoutingTable.Node, _ search: inout Search, _ guards: Guards, _ tracer: inout Tracer) -> Int {
        let first = Int(node.leafStart)
        for index in first..<(first &+ Int(node.leafCount)) {
            let leaf = leaves[index]
            let passes = leaf.guardCount == 0 || guardsPass(leaf, guards)
            let bits = leaf.methods.rawValue
            let methodMatches = bits & search.method != 0 || (search.method == Self.head && bits & Self.get != 0)
            tracer.record(.leaf(route: Int(leaf.route), methodMatches: methodMatches, guardsPass: passes))
            guard passes else { continue }
            if methodMatches { return Int(leaf.route) }
            search.allowed |= bits | (bits & Self.get != 0 ? Self.head : 0)
        }
        return -1
    }

    private func guardsPass<Guards: RouteGuards>(_ leaf: RoutingTable.Leaf, _ guards: Guards) -> Bool {
        let first = Int(leaf.guardStart)
        for index in first..<(first + Int(leaf.guardCount)) where !guards.passes(table.guards[index]) { return false }
        return true
    }

    private func hostMatches(_ slot: HostSlot, _ host: UnsafeBufferPointer<UInt8>) -> Bool {
        switch slot.kind {
        case .any:
            return true
        case .exact:
            guard host.count == slot.patternLength else { return false }
            return slot.patternLength == 0 || compareBytes(hostBytes.baseAddress.unsafelyUnwrapped + slot.patternStart, host.baseAddress.unsafelyUnwrapped, host.count) == 0
        case .wildcard:
            guard host.count > slot.patternLength + 1 else { return false }
            let start = host.count - slot.patternLength
            return host[start - 1] == UInt8(ascii: ".")
                && compareBytes(hostBytes.baseAddress.unsafelyUnwrapped + slot.patternStart, host.baseAddress.unsafelyUnwrapped + start, slot.patternLength) == 0
        }
    }

    private static func text(_ path: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int) -> String {
        String(decoding: UnsafeBufferPointer(rebasing: path[start..<end]), as: UTF8.self)
    }
}

/// Compares `count` bytes: negative, zero or positive like memcmp.
@inline(__always)
func compareBytes(_ a: UnsafePointer<UInt8>, _ b: UnsafePointer<UInt8>, _ count: Int) -> Int {
    var index = 0
    while index < count {
        let x = a[index]
        let y = b[index]
        if x != y { return x < y ? -1 : 1 }
        index &+= 1
    }
    return 0
}
