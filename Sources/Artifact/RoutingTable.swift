/// The decision tree, flattened into arrays so lookup allocates nothing.
///
/// Hosts map to a root node. A node's children are static edges (sorted by label
/// length, then bytes, for binary search), then dynamic edges in precedence order:
/// constrained parameters, the plain parameter, the wildcard tail. A node's leaves
/// are the routes that end there, with their methods and `match:` guards. Children
/// always have larger indices than their parents, so a verified table is acyclic.
public struct RoutingTable: Sendable, Hashable, ArtifactCodable {
    public struct Host: Sendable, Hashable, ArtifactCodable {
        public enum Kind: UInt8, Sendable, Hashable { case exact = 0, wildcard = 1, any = 2 }

        /// `api.forex.example`, `forex.example` for `*.forex.example`, or empty for any host.
        public var pattern: String
        public var kind: Kind
        public var root: UInt32

        public init(pattern: String, kind: Kind, root: UInt32) {
            self.pattern = pattern
            self.kind = kind
            self.root = root
        }

        public func encode(to writer: inout SectionWriter) { writer.string(pattern); writer.bytes.u8(kind.rawValue); writer.bytes.u32(root) }
        public init(from reader: inout SectionReader) throws(ArtifactError) {
            pattern = try reader.string(); kind = try reader.enumeration(Kind.self); root = try reader.bytes.u32()
        }
    }

    public struct Node: Sendable, Hashable, ArtifactCodable {
        public var staticStart: UInt32
        public var staticCount: UInt32
        public var dynamicStart: UInt32
        public var dynamicCount: UInt32
        public var leafStart: UInt32
        public var leafCount: UInt32

        public init(staticStart: UInt32, staticCount: UInt32, dynamicStart: UInt32, dynamicCount: UInt32, leafStart: UInt32, leafCount: UInt32) {
            self.staticStart = staticStart
            self.staticCount = staticCount
            self.dynamicStart = dynamicStart
            self.dynamicCount = dynamicCount
            self.leafStart = leafStart
            self.leafCount = leafCount
        }

        public func encode(to writer: inout SectionWriter) {
            for value in [staticStart, staticCount, dynamicStart, dynamicCount, leafStart, leafCount] { writer.bytes.u32(value) }
        }

        public init(from reader: inout SectionReader) throws(ArtifactError) {
            staticStart = try reader.bytes.u32(); staticCount = try reader.bytes.u32(); dynamicStart = try reader.bytes.u32()
            dynamicCount = try reader.bytes.u32(); leafStart = try reader.bytes.u32(); leafCount = try reader.bytes.u32()
        }
    }

    public struct StaticEdge: Sendable, Hashable, ArtifactCodable {
        public var labelStart: UInt32
        public var labelLength: UInt32
        public var child: UInt32

        public init(labelStart: UInt32, labelLength: UInt32, child: UInt32) {
            self.labelStart = labelStart
            self.labelLength = labelLength
            self.child = child
        }

        public func encode(to writer: inout SectionWriter) { writer.bytes.u32(labelStart); writer.bytes.u32(labelLength); writer.bytes.u32(child) }
        public init(from reader: inout SectionReader) throws(ArtifactError) {
            labelStart = try reader.bytes.u32(); labelLength = try reader.bytes.u32(); child = try reader.bytes.u32()
        }
    }

    public struct DynamicEdge: Sendable, Hashable, ArtifactCodable {
        public enum Kind: UInt8, Sendable, Hashable { case constrained = 0, parameter = 1, wildcard = 2 }

        public var kind: Kind
        /// The segment matcher, for constrained edges.
        public var matcher: UInt32
        public var child: UInt32

        public init(kind: Kind, matcher: UInt32, child: UInt32) {
            self.kind = kind
            self.matcher = matcher
            self.child = child
        }

        public func encode(to writer: inout SectionWriter) { writer.bytes.u8(kind.rawValue); writer.bytes.u32(matcher); writer.bytes.u32(child) }
        public init(from reader: inout SectionReader) throws(ArtifactError) {
            kind = try reader.enumeration(Kind.self); matcher = try reader.bytes.u32(); child = try reader.bytes.u32()
        }
    }

    public struct Leaf: Sendable, Hashable, ArtifactCodable {
        public var methods: MethodSet
        public var route: UInt32
        public var guardStart: UInt32
        public var guardCount: UInt32

        public init(methods: MethodSet, route: UInt32, guardStart: UInt32, guardCount: UInt32) {
            self.methods = methods
            self.route = route
            self.guardStart = guardStart
            self.guardCount = guardCount
        }

        public func encode(to writer: inout SectionWriter) {
            writer.bytes.u8(methods.rawValue); writer.bytes.u32(route); writer.bytes.u32(guardStart); writer.bytes.u32(guardCount)
        }

        public init(from reader: inout SectionReader) throws(ArtifactError) {
            methods = MethodSet(rawValue: try reader.bytes.u8()); route = try reader.bytes.u32()
            guardStart = try reader.bytes.u32(); guardCount = try reader.bytes.u32()
        }
    }

    public struct Guard: Sendable, Hashable, ArtifactCodable {
        public enum Source: UInt8, Sendable, Hashable { case header = 0, query = 1 }
        public enum Test: UInt8, Sendable, Hashable { case present = 0, absent = 1, oneOf = 2 }

        public var source: Source
        public var name: String
        public var test: Test
        public var values: [String]

        public init(source: Source, name: String, test: Test, values: [String]) {
            self.source = source
            self.name = name
            self.test = test
            self.values = values
        }

        public func encode(to writer: inout SectionWriter) {
            writer.bytes.u8(source.rawValue); writer.string(name); writer.bytes.u8(test.rawValue); writer.strings(values)
        }

        public init(from reader: inout SectionReader) throws(ArtifactError) {
            source = try reader.enumeration(Source.self); name = try reader.string(); test = try reader.enumeration(Test.self)
            values = try reader.strings()
        }
    }

    /// A DFA over ASCII bytes that decides one path segment.
    public struct Matcher: Sendable, Hashable, ArtifactCodable {
        public static let dead: UInt16 = 0xFFFF
        public static let alphabet = 128

        /// The constraint as written, for inspection.
        public var source: String
        public var accepting: [Bool]
        /// `state * 128 + byte` gives the next state, or `dead`.
        public var transitions: [UInt16]

        public init(source: String, accepting: [Bool], transitions: [UInt16]) {
            self.source = source
            self.accepting = accepting
            self.transitions = transitions
        }

        public var stateCount: Int { accepting.count }

        /// Whether the whole of `segment` is accepted. Non-ASCII bytes never are.
        @inlinable
        public func matches(_ segment: UnsafeBufferPointer<UInt8>) -> Bool {
            var state = 0
            for byte in segment {
                guard byte < 128 else { return false }
                let next = transitions[state &* 128 &+ Int(byte)]
                if next == Self.dead { return false }
                state = Int(next)
            }
            return accepting[state]
        }

        public func encode(to writer: inout SectionWriter) {
            writer.string(source)
            writer.bytes.array(accepting) { $0.bool($1) }
            writer.bytes.array(transitions) { $0.u16($1) }
        }

        public init(from reader: inout SectionReader) throws(ArtifactError) {
            source = try reader.string()
            accepting = try reader.bytes.array(minimumSize: 1) { (r: inout ByteReader) throws(ArtifactError) in try r.bool() }
            transitions = try reader.bytes.array(minimumSize: 2) { (r: inout ByteReader) throws(ArtifactError) in try r.u16() }
            guard !accepting.isEmpty, transitions.count == accepting.count * Self.alphabet else {
                throw .malformed("matcher `\(source)` has \(transitions.count) transitions for \(accepting.count) states")
            }
            guard transitions.allSatisfy({ $0 == Self.dead || Int($0) < accepting.count }) else {
                throw .malformed("matcher `\(source)` jumps to a state it does not have")
            }
        }
    }

    public var hosts: [Host]
    public var nodes: [Node]
    public var staticEdges: [StaticEdge]
    public var dynamicEdges: [DynamicEdge]
    public var labels: [UInt8]
    public var matchers: [Matcher]
    public var leaves: [Leaf]
    public var guards: [Guard]

    public init(hosts: [Host], nodes: [Node], staticEdges: [StaticEdge], dynamicEdges: [DynamicEdge], labels: [UInt8],
                matchers: [Matcher], leaves: [Leaf], guards: [Guard]) {
        self.hosts = hosts
        self.nodes = nodes
        self.staticEdges = staticEdges
        self.dynamicEdges = dynamicEdges
        self.labels = labels
        self.matchers = matchers
        self.leaves = leaves
        self.guards = guards
    }

    public func label(_ edge: StaticEdge) -> String {
        String(decoding: labels[Int(edge.labelStart)..<Int(edge.labelStart + edge.labelLength)], as: UTF8.self)
    }

    public func encode(to writer: inout SectionWriter) {
        writer.array(hosts); writer.array(nodes); writer.array(staticEdges); writer.array(dynamicEdges)
        writer.bytes.blob(labels); writer.array(matchers); writer.array(leaves); writer.array(guards)
    }

    public init(from reader: inout SectionReader) throws(ArtifactError) {
        hosts = try reader.array(minimumSize: 9); nodes = try reader.array(minimumSize: 24)
        staticEdges = try reader.array(minimumSize: 12); dynamicEdges = try reader.array(minimumSize: 9)
        labels = try reader.bytes.blob(); matchers = try reader.array(minimumSize: 12)
        leaves = try reader.array(minimumSize: 13); guards = try reader.array(minimumSize: 10)
    }
}
