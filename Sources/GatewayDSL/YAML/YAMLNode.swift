/// A YAML node that remembers where it was written.
///
/// The reader resolves aliases and merge keys, so consumers see plain trees only.
public indirect enum YAMLNode: Sendable {
    case scalar(YAMLScalar)
    case sequence(YAMLSequence)
    case mapping(YAMLMapping)

    public var location: SourceLocation {
        switch self {
        case .scalar(let s): s.location
        case .sequence(let s): s.location
        case .mapping(let m): m.location
        }
    }

    /// "a string", "a list", "a mapping": how messages name what was found.
    /// True for a stand-in for a node that was already reported as broken.
    var isPlaceholder: Bool {
        if case .scalar(let scalar) = self { return scalar.isPlaceholder }
        return false
    }

    public var kindDescription: String {
        switch self {
        case .scalar(let s): s.isNull ? "nothing (null)" : "a scalar `\(s.value.truncatedForMessage)`"
        case .sequence: "a list"
        case .mapping: "a mapping"
        }
    }

    /// How many nodes this subtree holds, counting itself.
    var nodeCount: Int {
        switch self {
        case .scalar: 1
        case .sequence(let s): 1 + s.items.reduce(0) { $0 + $1.nodeCount }
        case .mapping(let m): 1 + m.entries.reduce(0) { $0 + 1 + $1.value.nodeCount }
        }
    }
}

/// A scalar: its text, how it was quoted, and where each character came from.
public struct YAMLScalar: Sendable {
    public enum Style: Sendable, Hashable {
        case plain, singleQuoted, doubleQuoted, literal, folded
    }

    public var value: String
    public var style: Style
    public var tag: String?
    public var location: SourceLocation
    /// The scalar's last position, used to map characters of multi-line values.
    var endLine: Int
    var source: SourceText?

    public init(
        value: String, style: Style = .plain, tag: String? = nil,
        location: SourceLocation, endLine: Int? = nil, source: SourceText? = nil
    ) {
        self.value = value
        self.style = style
        self.tag = tag
        self.location = location
        self.endLine = endLine ?? location.line
        self.source = source
    }

    /// Marks a node that stands in for one already reported as broken (an alias with
    /// no anchor), so decoding it adds no second error.
    static let placeholderTag = "!gateway/placeholder"

    var isPlaceholder: Bool { tag == Self.placeholderTag }

    /// `~`, `null` or nothing at all, written without quotes.
    public var isNull: Bool {
        guard style == .plain, tag == nil else { return false }
        return value.isEmpty || value == "~" || value == "null" || value == "Null" || value == "NULL"
    }

    /// Where the character at `offset` (counted in Unicode scalars of `value`) was written.
    ///
    /// Exact for single-line scalars and for block scalars whose lines were joined with
    /// one separator each; otherwise it is the nearest line start, which is still the
    /// right line for a reader.
    public func location(ofOffset offset: Int) -> SourceLocation {
        ScalarPositionMap(scalar: self).location(ofOffset: offset)
    }
}

/// A list, `[a, b]` or `- a`.
public struct YAMLSequence: Sendable {
    public var items: [YAMLNode]
    public var location: SourceLocation

    public init(items: [YAMLNode], location: SourceLocation) {
        self.items = items
        self.location = location
    }
}

/// A mapping whose keys are scalars, in the order they were written.
public struct YAMLMapping: Sendable {
    public struct Entry: Sendable {
        public var key: YAMLScalar
        public var value: YAMLNode

        public init(key: YAMLScalar, value: YAMLNode) {
            self.key = key
            self.value = value
        }
    }

    public var entries: [Entry]
    public var location: SourceLocation

    public init(entries: [Entry], location: SourceLocation) {
        self.entries = entries
        self.location = location
    }

    public subscript(key: String) -> YAMLNode? {
        entries.first { $0.key.value == key }?.value
    }
}

extension String {
    /// The value cut to a readable length for an error message.
    var truncatedForMessage: String {
        let oneLine = replacing("\n", with: "\\n")
        return oneLine.count > 40 ? String(oneLine.prefix(37)) + "..." : oneLine
    }
}
