import CLibYAML

/// Turns libyaml's event stream into `YAMLNode`s. One instance reads one file.
struct YAMLTreeBuilder {
    private enum KeySlot {
        case awaitingKey
        case key(YAMLScalar)
        /// A non-scalar key was reported; its value is read and dropped.
        case invalidKey
    }

    /// An open sequence or mapping. A class, so appending to the innermost one is in
    /// place: a value-type frame popped and pushed back would copy its array on every
    /// append and make reading quadratic in the size of the largest mapping.
    private final class Frame {
        enum Kind { case sequence, mapping }

        let kind: Kind
        let location: SourceLocation
        let anchor: String?
        var items: [YAMLNode] = []
        var entries: [YAMLMapping.Entry] = []
        var slot = KeySlot.awaitingKey
        var firstSeen: [String: SourceLocation] = [:]
        var merges: [YAMLNode] = []

        init(_ kind: Kind, at location: SourceLocation, anchor: String?) {
            self.kind = kind
            self.location = location
            self.anchor = anchor
        }
    }

    private struct Stop: Error {}

    let file: String
    let source: SourceText
    let limits: YAMLReader.Limits
    private(set) var root: YAMLNode?
    private var stack: [Frame] = []
    private var anchors: [String: (node: YAMLNode, size: Int)] = [:]
    private var aliasNodes = 0
    private var documents = 0
    private var diagnostics: [Diagnostic] = []

    init(file: String, source: SourceText, limits: YAMLReader.Limits) {
        self.file = file
        self.source = source
        self.limits = limits
    }

    mutating func run(_ bytes: [UInt8]) -> [Diagnostic] {
        var parser = yaml_parser_t()
        guard yaml_parser_initialize(&parser) == 1 else {
            return [.error(.unreadableFile, "libyaml could not start (out of memory)", at: location(line: 1, column: 1))]
        }
        defer { yaml_parser_delete(&parser) }
        bytes.withUnsafeBufferPointer { buffer in
            yaml_parser_set_input_string(&parser, buffer.baseAddress, buffer.count)
            while true {
                var event = yaml_event_t()
                guard yaml_parser_parse(&parser, &event) == 1 else {
                    diagnostics.append(parserError(parser, bytes: bytes))
                    return
                }
                defer { yaml_event_delete(&event) }
                if event.type == YAML_STREAM_END_EVENT { return }
                do { try handle(event) } catch { return }
            }
        }
        if documents == 0 && diagnostics.isEmpty {
            diagnostics.append(.error(
                .emptyFile, "the file holds no YAML document",
                at: location(line: 1, column: 1),
                hint: "a spec file is a mapping such as `routes:` or `services:`; delete the file if it is not needed"))
        }
        return diagnostics
    }

    // MARK: Events

    private mutating func handle(_ event: yaml_event_t) throws {
        let at = location(event.start_mark)
        switch event.type {
        case YAML_DOCUMENT_START_EVENT:
            documents += 1
            if documents > 1 {
                diagnostics.append(.error(
                    .multipleDocuments, "a second YAML document (`---`) in one file", at: at,
                    hint: "put each document in a file of its own; a spec may span several files in one folder"))
                throw Stop()
            }
        case YAML_SCALAR_EVENT:
            let scalar = makeScalar(event, at: at)
            let anchor = Self.string(event.data.scalar.anchor)
            try complete(.scalar(scalar), anchor: anchor)
        case YAML_SEQUENCE_START_EVENT:
            try push(Frame(.sequence, at: at, anchor: Self.string(event.data.sequence_start.anchor)))
        case YAML_MAPPING_START_EVENT:
            try push(Frame(.mapping, at: at, anchor: Self.string(event.data.mapping_start.anchor)))
        case YAML_SEQUENCE_END_EVENT, YAML_MAPPING_END_EVENT:
            try pop()
        case YAML_ALIAS_EVENT:
            try alias(Self.string(event.data.alias.anchor) ?? "", at: at)
        default:
            break
        }
    }

    private mutating func push(_ frame: Frame) throws {
        if stack.count >= limits.maxDepth {
            diagnostics.append(.error(
                .nestingTooDeep, "nesting is deeper than \(limits.maxDepth) levels", at: frame.location,
                hint: "gateway specs need only a few levels; flatten this structure"))
            throw Stop()
        }
        stack.append(frame)
    }

    private mutating func pop() throws {
        guard let frame = stack.popLast() else { return }
        switch frame.kind {
        case .sequence:
            try complete(.sequence(YAMLSequence(items: frame.items, location: frame.location)), anchor: frame.anchor)
        case .mapping:
            var mapping = YAMLMapping(entries: frame.entries, location: frame.location)
            applyMerges(frame.merges, into: &mapping, explicit: frame.firstSeen)
            try complete(.mapping(mapping), anchor: frame.anchor)
        }
    }

    /// Attaches a finished node to its parent (or makes it the root).
    private mutating func complete(_ node: YAMLNode, anchor: String?) throws {
        if let anchor {
            anchors[anchor] = (node, node.nodeCount)
        }
        guard let parent = stack.last else {
            root = node
            return
        }
        switch parent.kind {
        case .sequence:
            parent.items.append(node)
        case .mapping:
            switch parent.slot {
            case .awaitingKey:
                parent.slot = keySlot(for: node, firstSeen: &parent.firstSeen)
            case .invalidKey:
                parent.slot = .awaitingKey
            case .key(let key):
                if key.value == "<<" && key.style == .plain {
                    parent.merges.append(node)
                } else {
                    parent.entries.append(.init(key: key, value: node))
                }
                parent.slot = .awaitingKey
            }
        }
    }

    private mutating func keySlot(for node: YAMLNode, firstSeen: inout [String: SourceLocation]) -> KeySlot {
        guard case .scalar(let key) = node else {
            diagnostics.append(.error(
                .complexKey, "a mapping key must be a plain scalar, not \(node.kindDescription)", at: node.location,
                hint: "write keys as plain words such as `timeout:`"))
            return .invalidKey
        }
        if key.value != "<<" || key.style != .plain {
            if let first = firstSeen[key.value] {
                diagnostics.append(.error(
                    .duplicateKey, "duplicate key `\(key.value)`; first written at line \(first.line)",
                    at: key.location, hint: "remove one of the two, or merge their contents",
                    notes: [.init("`\(key.value)` first written here", at: first)]))
                return .invalidKey
            }
            firstSeen[key.value] = key.location
        }
        return .key(key)
    }

    private mutating func alias(_ name: String, at: SourceLocation) throws {
        guard let anchored = anchors[name] else {
            diagnostics.append(.error(
                .undefinedAlias, "alias `*\(name)` names no anchor defined before it", at: at,
                hint: "define `&\(name)` earlier in the same file"))
            try complete(.scalar(YAMLScalar(value: "", tag: YAMLScalar.placeholderTag, location: at)), anchor: nil)
            return
        }
        aliasNodes += anchored.size
        if aliasNodes > limits.aliasNodeBudget {
            diagnostics.append(.error(
                .aliasBudget, "aliases expand to more than \(limits.aliasNodeBudget) nodes", at: at,
                hint: "this looks like an alias bomb; write the repeated values out or use fewer nested aliases"))
            throw Stop()
        }
        try complete(anchored.node, anchor: nil)
    }

    /// `<<: *defaults` (or a list of aliases): keys written in the mapping win,
    /// then earlier merge sources win over later ones, as in YAML's merge-key type.
    private mutating func applyMerges(_ merges: [YAMLNode], into mapping: inout YAMLMapping, explicit: [String: SourceLocation]) {
        var present = Set(explicit.keys)
        for merge in merges {
            let sources: [YAMLNode]
            if case .sequence(let list) = merge { sources = list.items } else { sources = [merge] }
            for source in sources {
                guard case .mapping(let from) = source else {
                    diagnostics.append(.error(
                        .wrongType, "`<<` merges mappings, but found \(source.kindDescription)", at: source.location,
                        hint: "write `<<: *anchor` where `&anchor` marks a mapping"))
                    continue
                }
                for entry in from.entries where present.insert(entry.key.value).inserted {
                    mapping.entries.append(entry)
                }
            }
        }
    }

    // MARK: Helpers

    private func makeScalar(_ event: yaml_event_t, at: SourceLocation) -> YAMLScalar {
        let data = event.data.scalar
        let value: String
        if let pointer = data.value {
            value = String(decoding: UnsafeBufferPointer(start: pointer, count: data.length), as: UTF8.self)
        } else {
            value = ""
        }
        let style: YAMLScalar.Style = switch data.style {
        case YAML_SINGLE_QUOTED_SCALAR_STYLE: .singleQuoted
        case YAML_DOUBLE_QUOTED_SCALAR_STYLE: .doubleQuoted
        case YAML_LITERAL_SCALAR_STYLE: .literal
        case YAML_FOLDED_SCALAR_STYLE: .folded
        default: .plain
        }
        return YAMLScalar(
            value: value, style: style, tag: Self.string(data.tag), location: at,
            endLine: Int(event.end_mark.line) + 1, source: source)
    }

    private func location(_ mark: yaml_mark_t) -> SourceLocation {
        location(line: Int(mark.line) + 1, column: Int(mark.column) + 1)
    }

    private func location(line: Int, column: Int) -> SourceLocation {
        SourceLocation(file: file, line: line, column: column)
    }

    private static func string(_ pointer: UnsafeMutablePointer<yaml_char_t>?) -> String? {
        guard let pointer else { return nil }
        return String(cString: UnsafeRawPointer(pointer).assumingMemoryBound(to: CChar.self))
    }
}
