import Artifact

/// The compiler's routing tree, before flattening: one per host pattern.
final class TrieNode {
    var statics: [String: TrieNode] = [:]
    var constrained: [(key: String, dfa: SegmentDFA, node: TrieNode)] = []
    var parameter: TrieNode?
    var wildcard: TrieNode?
    /// Routes that end here, by index, in spec order.
    var leaves: [Int] = []

    func child(for segment: RouteSegment) -> TrieNode {
        switch segment {
        case .literal(let text):
            if let node = statics[text] { return node }
            let node = TrieNode()
            statics[text] = node
            return node
        case .constrained(let key, let dfa):
            if let existing = constrained.first(where: { $0.key == key }) { return existing.node }
            let node = TrieNode()
            constrained.append((key, dfa, node))
            return node
        case .parameter:
            if let node = parameter { return node }
            let node = TrieNode()
            parameter = node
            return node
        case .wildcard:
            if let node = wildcard { return node }
            let node = TrieNode()
            wildcard = node
            return node
        }
    }

    /// Every route index in this subtree.
    func allLeaves() -> [Int] {
        var result = leaves
        for node in statics.values { result += node.allLeaves() }
        for entry in constrained { result += entry.node.allLeaves() }
        result += parameter?.allLeaves() ?? []
        result += wildcard?.allLeaves() ?? []
        return result
    }
}

/// A host pattern and its tree.
struct HostTrie {
    var pattern: String
    var kind: RoutingTable.Host.Kind
    var root = TrieNode()

    /// Exact hosts first (sorted), then wildcard hosts (longest suffix first), then any host.
    var sortKey: (Int, Int, String) {
        switch kind {
        case .exact: (0, 0, pattern)
        case .wildcard: (1, -pattern.count, pattern)
        case .any: (2, 0, "")
        }
    }
}
