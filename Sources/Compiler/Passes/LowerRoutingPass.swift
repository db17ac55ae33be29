import Artifact
import GatewayDSL

/// Flattens the routing trees into the artifact's arrays. Nodes are numbered
/// breadth-first, so every child has a larger index than its parent.
struct LowerRoutingPass: CompilerPass {
    let name = "lower-routing"

    func run(_ context: inout CompilationContext) {
        var builder = TableBuilder(routes: context.spec.routes)
        var hosts: [RoutingTable.Host] = []
        for trie in context.tries {
            hosts.append(RoutingTable.Host(pattern: trie.pattern, kind: trie.kind, root: UInt32(builder.add(trie.root))))
        }
        context.routing = builder.table(hosts: hosts)
    }
}

extension MethodSet {
    /// The bits for a route's methods; nil (`ANY`) is every method.
    init(_ methods: [HTTPMethod]?) {
        guard let methods else {
            self = .all
            return
        }
        self = methods.reduce(into: MethodSet()) { set, method in
            if let bit = MethodSet(method: method.rawValue) { set.insert(bit) }
        }
    }
}

private struct TableBuilder {
    let routes: [Route]
    var nodes: [TrieNode] = []
    var matcherIndex: [String: UInt32] = [:]
    var matchers: [RoutingTable.Matcher] = []
    var flat: [RoutingTable.Node] = []
    var staticEdges: [RoutingTable.StaticEdge] = []
    var dynamicEdges: [RoutingTable.DynamicEdge] = []
    var labels: [UInt8] = []
    var labelOffsets: [[UInt8]: UInt32] = [:]
    var leaves: [RoutingTable.Leaf] = []
    var guards: [RoutingTable.Guard] = []

    init(routes: [Route]) {
        self.routes = routes
    }

    /// Numbers a tree breadth-first and emits its nodes; returns the root's index.
    mutating func add(_ root: TrieNode) -> Int {
        let rootIndex = flat.count
        var queue = [root]
        var indices: [ObjectIdentifier: Int] = [:]
        var cursor = 0
        indices[ObjectIdentifier(root)] = flat.count + queue.count - 1
        var order: [TrieNode] = []
        while cursor < queue.count {
            let node = queue[cursor]
            cursor += 1
            order.append(node)
            for child in Self.children(of: node) {
                indices[ObjectIdentifier(child)] = rootIndex + queue.count
                queue.append(child)
            }
        }
        for node in order { emit(node, indices) }
        return rootIndex
    }

    static func sortedStatics(_ node: TrieNode) -> [(label: [UInt8], node: TrieNode)] {
        node.statics.map { (Array($0.key.utf8), $0.value) }.sorted { Artifact.labelOrder($0.label, $1.label) }
    }

    static func children(of node: TrieNode) -> [TrieNode] {
        sortedStatics(node).map(\.node) + node.constrained.map(\.node) + [node.parameter, node.wildcard].compactMap { $0 }
    }

    private mutating func emit(_ node: TrieNode, _ indices: [ObjectIdentifier: Int]) {
        func index(_ child: TrieNode) -> UInt32 { UInt32(indices[ObjectIdentifier(child)] ?? 0) }
        let staticStart = UInt32(staticEdges.count)
        for (label, child) in Self.sortedStatics(node) {
            staticEdges.append(.init(labelStart: labelOffset(label), labelLength: UInt32(label.count), child: index(child)))
        }
        let dynamicStart = UInt32(dynamicEdges.count)
        for entry in node.constrained {
            dynamicEdges.append(.init(kind: .constrained, matcher: matcher(entry.key, entry.dfa), child: index(entry.node)))
        }
        if let parameter = node.parameter { dynamicEdges.append(.init(kind: .parameter, matcher: 0, child: index(parameter))) }
        if let wildcard = node.wildcard { dynamicEdges.append(.init(kind: .wildcard, matcher: 0, child: index(wildcard))) }
        let leafStart = UInt32(leaves.count)
        let ordered = node.leaves.filter { !routes[$0].guards.isEmpty } + node.leaves.filter { routes[$0].guards.isEmpty }
        for routeIndex in ordered { leaves.append(leaf(routeIndex)) }
        flat.append(.init(staticStart: staticStart, staticCount: UInt32(staticEdges.count) - staticStart,
                          dynamicStart: dynamicStart, dynamicCount: UInt32(dynamicEdges.count) - dynamicStart,
                          leafStart: leafStart, leafCount: UInt32(leaves.count) - leafStart))
    }

    private mutating func leaf(_ routeIndex: Int) -> RoutingTable.Leaf {
        let route = routes[routeIndex]
        let guardStart = UInt32(guards.count)
        for rule in route.guards {
            let (test, values): (RoutingTable.Guard.Test, [String]) = switch rule.test {
            case .present: (.present, [])
            case .absent: (.absent, [])
            case .oneOf(let values): (.oneOf, values)
            }
            guards.append(.init(source: rule.source == .header ? .header : .query, name: rule.name, test: test, values: values))
        }
        return .init(methods: MethodSet(route.methods), route: UInt32(routeIndex), guardStart: guardStart,
                     guardCount: UInt32(guards.count) - guardStart)
    }

    private mutating func labelOffset(_ label: [UInt8]) -> UInt32 {
        if let offset = labelOffsets[label] { return offset }
        let offset = UInt32(labels.count)
        labels += label
        labelOffsets[label] = offset
        return offset
    }

    private mutating func matcher(_ key: String, _ dfa: SegmentDFA) -> UInt32 {
        if let index = matcherIndex[key] { return index }
        matchers.append(.init(source: key, accepting: dfa.accepting, transitions: dfa.transitions))
        matcherIndex[key] = UInt32(matchers.count - 1)
        return UInt32(matchers.count - 1)
    }

    func table(hosts: [RoutingTable.Host]) -> RoutingTable {
        RoutingTable(hosts: hosts, nodes: flat, staticEdges: staticEdges, dynamicEdges: dynamicEdges, labels: labels,
                     matchers: matchers, leaves: leaves, guards: guards)
    }
}
