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
    private let matchers: [RoutingTable.Matcher]
    public let table: RoutingTable

    public init(_ table: RoutingTable) {
        self.table = table
        nodes = Self.buffer(table.nodes)
        statics = Self.buffer(table.staticEdges)
        dynamics = Self.buffer(table.dynamicEdges)
        labels = Self.buffer(table.labels)
        leaves = Self.buffer(table.leaves)
        matchers = table.matchers
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
    }

    static let get: UInt8 = 1
    static let head: UInt8 = 2

    /// Finds the route for `method` and `path` on `host` (lower-case, no port).
    /// Captured parameter ranges are written to `captures` (at most 16 are needed).
    /// `guards` decides a route's `match:` rules; it is called only for guarded routes.
    @inlinable
    public func lookup(
        host: UnsafeBufferPointer<UInt8>, method: UInt8, path: UnsafeBufferPointer<UInt8>,
        captures: UnsafeMutableBufferPointer<PathCapture>,
        guards: (RoutingTable.Guard) -> Bool = { _ in false }
    ) -> RouteLookup {
        var tracer = NoTrace()
        return lookup(host: host, method: method, path: path, captures: captures, guards: guards, tracer: &tracer)
    }

    public func lookup<Tracer: LookupTracer>(
        host: UnsafeBufferPointer<UInt8>, method: UInt8, path: UnsafeBufferPointer<UInt8>,
        captures: UnsafeMutableBufferPointer<PathCapture>,
        guards: (RoutingTable.Guard) -> Bool, tracer: inout Tracer
    ) -> RouteLookup {
        withoutActuallyEscaping(guards) { guards in
            var allowed: UInt8 = 0
            for entry in table.hosts where Self.hostMatches(entry, host) {
                tracer.record(.host(pattern: entry.pattern, kind: entry.kind))
                var search = Search(path: path, method: method, captures: captures, guards: guards)
                let start = path.count > 1 ? 1 : path.count
                let route = find(Int(entry.root), at: start, &search, &tracer)
                if route >= 0 { return .matched(route: route, captures: search.captureCount) }
                allowed |= search.allowed
            }
            return allowed != 0 ? .methodNotAllowed(allowed: allowed) : .notFound
        }
    }

    @usableFromInline
    struct Search {
        let path: UnsafeBufferPointer<UInt8>
        let method: UInt8
        let captures: UnsafeMutableBufferPointer<PathCapture>
        let guards: (RoutingTable.Guard) -> Bool
        var captureCount = 0
        var allowed: UInt8 = 0

        @usableFromInline
        init(path: UnsafeBufferPointer<UInt8>, method: UInt8, captures: UnsafeMutableBufferPointer<PathCapture>, guards: @escaping (RoutingTable.Guard) -> Bool) {
            self.path = path
            self.method = method
            self.captures = captures
            self.guards = guards
        }
    }

    /// Depth-first search in precedence order; returns a route index or -1.
    private func find<Tracer: LookupTracer>(_ nodeIndex: Int, at position: Int, _ search: inout Search, _ tracer: inout Tracer) -> Int {
        let node = nodes[nodeIndex]
        let path = search.path
        guard position < path.count else { return leaf(node, &search, &tracer) }
        var end = position
        while end < path.count && path[end] != UInt8(ascii: "/") { end &+= 1 }
        let next = end < path.count ? end &+ 1 : end
        let length = end &- position
        if Tracer.self != NoTrace.self { tracer.record(.segment(String(decoding: UnsafeBufferPointer(rebasing: path[position..<end]), as: UTF8.self))) }

        if node.staticCount > 0, length > 0, let child = staticChild(node, path, position, length, &tracer) {
            let route = find(child, at: next, &search, &tracer)
            if route >= 0 { return route }
            tracer.record(.backtrack)
        }
        guard node.dynamicCount > 0, length > 0, search.captureCount < search.captures.count else { return -1 }
        let first = Int(node.dynamicStart)
        for index in first..<(first &+ Int(node.dynamicCount)) {
            let edge = dynamics[index]
            switch edge.kind {
            case .constrained:
                let matched = matchers[Int(edge.matcher)].matches(UnsafeBufferPointer(rebasing: path[position..<end]))
                if Tracer.self != NoTrace.self { tracer.record(.constrained(pattern: matchers[Int(edge.matcher)].source, matched: matched)) }
                guard matched else { continue }
            case .parameter:
                tracer.record(.parameter)
            case .wildcard:
                if Tracer.self != NoTrace.self { tracer.record(.wildcard(rest: String(decoding: UnsafeBufferPointer(rebasing: path[position...]), as: UTF8.self))) }
                search.captures[search.captureCount] = PathCapture(start: Int32(position), end: Int32(path.count))
                search.captureCount &+= 1
                let route = leaf(nodes[Int(edge.child)], &search, &tracer)
                if route >= 0 { return route }
                search.captureCount &-= 1
                continue
            }
            search.captures[search.captureCount] = PathCapture(start: Int32(position), end: Int32(end))
            search.captureCount &+= 1
            let route = find(Int(edge.child), at: next, &search, &tracer)
            if route >= 0 { return route }
            search.captureCount &-= 1
            tracer.record(.backtrack)
        }
        return -1
    }

    /// Binary search over the node's static edges, ordered by length then bytes.
    private func staticChild<Tracer: LookupTracer>(_ node: RoutingTable.Node, _ path: UnsafeBufferPointer<UInt8>, _ position: Int, _ length: Int, _ tracer: inout Tracer) -> Int? {
        var low = Int(node.staticStart)
        var high = low &+ Int(node.staticCount)
        let segment = path.baseAddress.unsafelyUnwrapped + position
        while low < high {
            let middle = (low &+ high) >> 1
            let edge = statics[middle]
            let edgeLength = Int(edge.labelLength)
            var order = edgeLength < length ? -1 : (edgeLength > length ? 1 : 0)
            if order == 0 {
                let result = memcmpBytes(labels.baseAddress.unsafelyUnwrapped + Int(edge.labelStart), segment, length)
                order = result
            }
            if order == 0 {
                if Tracer.self != NoTrace.self { tracer.record(.staticEdge(label: table.label(edge), matched: true)) }
                return Int(edge.child)
            }
            if order < 0 { low = middle &+ 1 } else { high = middle }
        }
        if Tracer.self != NoTrace.self {
            tracer.record(.staticEdge(label: String(decoding: UnsafeBufferPointer(start: segment, count: length), as: UTF8.self), matched: false))
        }
        return nil
    }

    private func leaf<Tracer: LookupTracer>(_ node: RoutingTable.Node, _ search: inout Search, _ tracer: inout Tracer) -> Int {
        let first = Int(node.leafStart)
        for index in first..<(first &+ Int(node.leafCount)) {
            let leaf = leaves[index]
            let passes = leaf.guardCount == 0 || guardsPass(leaf, search.guards)
            let bits = leaf.methods.rawValue
            let methodMatches = bits & search.method != 0 || (search.method == Self.head && bits & Self.get != 0)
            tracer.record(.leaf(route: Int(leaf.route), methodMatches: methodMatches, guardsPass: passes))
            guard passes else { continue }
            if methodMatches { return Int(leaf.route) }
            search.allowed |= bits | (bits & Self.get != 0 ? Self.head : 0)
        }
        return -1
    }

    private func guardsPass(_ leaf: RoutingTable.Leaf, _ guards: (RoutingTable.Guard) -> Bool) -> Bool {
        let first = Int(leaf.guardStart)
        for index in first..<(first + Int(leaf.guardCount)) where !guards(table.guards[index]) { return false }
        return true
    }

    static func hostMatches(_ entry: RoutingTable.Host, _ host: UnsafeBufferPointer<UInt8>) -> Bool {
        switch entry.kind {
        case .any: return true
        case .exact: return entry.pattern.utf8.elementsEqual(host)
        case .wildcard:
            let suffix = entry.pattern.utf8
            guard host.count > suffix.count + 1 else { return false }
            let start = host.count - suffix.count
            return host[start - 1] == UInt8(ascii: ".") && suffix.elementsEqual(UnsafeBufferPointer(rebasing: host[start...]))
        }
    }
}

/// Compares `count` bytes: negative, zero or positive like memcmp.
@inline(__always)
func memcmpBytes(_ a: UnsafePointer<UInt8>, _ b: UnsafePointer<UInt8>, _ count: Int) -> Int {
    var index = 0
    while index < count {
        let x = a[index]
        let y = b[index]
        if x != y { return x < y ? -1 : 1 }
        index &+= 1
    }
    return 0
}
