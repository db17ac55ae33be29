import CLibYAML

/// Reads one YAML file into a located tree with libyaml's event API.
///
/// The reader is built to face hostile input: nesting is bounded, aliases are expanded
/// under a node budget (so a "billion laughs" file is refused after a bounded amount of
/// work), duplicate keys are errors, and libyaml's own errors become diagnostics with
/// 1-based lines and columns. The tree is built with an explicit stack, never recursion.
public struct YAMLReader: Sendable {
    /// Hard limits that keep reading bounded in time and memory.
    public struct Limits: Sendable {
        /// How deep sequences and mappings may nest.
        public var maxDepth: Int = 64
        /// How many nodes alias expansion may add to one file.
        public var aliasNodeBudget: Int = 100_000
        /// The largest file read at all.
        public var maxFileBytes: Int = 32 << 20

        public init() {}
    }

    public var limits: Limits

    public init(limits: Limits = Limits()) {
        self.limits = limits
    }

    /// The root node (nil when the file cannot be read) and every problem found.
    public struct Result: Sendable {
        public var root: YAMLNode?
        public var source: SourceText
        public var diagnostics: [Diagnostic]
    }

    /// Reads `bytes` as the contents of `file` (used in messages only).
    public func read(_ bytes: [UInt8], file: String) -> Result {
        let text = String(decoding: bytes, as: UTF8.self)
        let source = SourceText(file: file, text: text)
        if let problem = precheck(bytes, file: file) {
            return Result(root: nil, source: source, diagnostics: [problem])
        }
        var builder = YAMLTreeBuilder(file: file, source: source, limits: limits)
        let diagnostics = builder.run(bytes)
        return Result(root: builder.root, source: source, diagnostics: diagnostics)
    }

    /// Problems that are clearer to report before libyaml sees the bytes.
    private func precheck(_ bytes: [UInt8], file: String) -> Diagnostic? {
        if bytes.count > limits.maxFileBytes {
            return .error(
                .unreadableFile, "file is \(bytes.count) bytes, over the \(limits.maxFileBytes)-byte limit for one spec file",
                at: SourceLocation(file: file, line: 1, column: 1),
                hint: "split the spec across several files in one folder")
        }
        if let nul = bytes.firstIndex(of: 0) {
            return .error(
                .invalidEncoding, "NUL byte in a spec file; this looks like binary data, not YAML",
                at: ByteOffsets.location(of: nul, in: bytes, file: file),
                hint: "spec files must be UTF-8 text")
        }
        return nil
    }
}

/// Converts byte offsets (what libyaml's reader errors carry) to line and column.
enum ByteOffsets {
    /// libyaml reports a bad trailing byte at the trailing byte; people want the
    /// character it belongs to, which starts at the lead byte before it.
    static func sequenceStart(before offset: Int, in bytes: [UInt8]) -> Int {
        var start = min(offset, bytes.count)
        while start > 0, bytes[start - 1] & 0xC0 == 0x80 { start -= 1 }
        if start > 0, bytes[start - 1] >= 0xC0 { start -= 1 }
        return start
    }


    static func location(of offset: Int, in bytes: [UInt8], file: String) -> SourceLocation {
        var line = 1
        var column = 1
        for byte in bytes.prefix(max(0, offset)) {
            if byte == UInt8(ascii: "\n") {
                line += 1
                column = 1
            } else if byte & 0xC0 != 0x80 {
                column += 1
            }
        }
        return SourceLocation(file: file, line: line, column: column)
    }
}
