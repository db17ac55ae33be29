/// Collects every diagnostic of a run, so one run reports all problems rather than the first.
public struct DiagnosticBag: Sendable {
    public private(set) var diagnostics: [Diagnostic] = []

    public init() {}

    public var hasErrors: Bool { diagnostics.contains { $0.severity == .error } }
    public var errorCount: Int { diagnostics.count { $0.severity == .error } }
    public var warningCount: Int { diagnostics.count { $0.severity == .warning } }

    public mutating func append(_ diagnostic: Diagnostic) {
        diagnostics.append(diagnostic)
    }

    public mutating func append(contentsOf other: [Diagnostic]) {
        diagnostics.append(contentsOf: other)
    }

    public mutating func error(
        _ code: DiagnosticCode, _ message: String, at location: SourceLocation,
        hint: String? = nil, notes: [Diagnostic.Note] = []
    ) {
        append(.error(code, message, at: location, hint: hint, notes: notes))
    }

    public mutating func warning(
        _ code: DiagnosticCode, _ message: String, at location: SourceLocation,
        hint: String? = nil, notes: [Diagnostic.Note] = []
    ) {
        append(.warning(code, message, at: location, hint: hint, notes: notes))
    }

    /// Every diagnostic, sorted by file, line and column, exact duplicates removed.
    public var sorted: [Diagnostic] {
        var seen = Set<Diagnostic>()
        return diagnostics.sorted().filter { seen.insert($0).inserted }
    }
}
