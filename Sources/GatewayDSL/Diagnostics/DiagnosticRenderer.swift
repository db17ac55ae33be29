/// Prints diagnostics for people (`text`), for tools (`json`) and for GitHub Actions
/// workflow annotations (`github`).
public struct DiagnosticRenderer: Sendable {
    public enum Format: String, Sendable, CaseIterable {
        case text, json, github
    }

    public var format: Format
    /// File texts, for the source excerpt under each text diagnostic.
    public var sources: [String: SourceText]

    public init(format: Format, sources: [String: SourceText] = [:]) {
        self.format = format
        self.sources = sources
    }

    /// The whole report for a run, ending in a newline (empty for `github` with nothing to say).
    public func render(_ diagnostics: [Diagnostic], summary: String? = nil) -> String {
        switch format {
        case .text: textRenderer(for: diagnostics).renderText(diagnostics, summary: summary)
        case .json: renderJSON(diagnostics)
        case .github: diagnostics.map(renderGitHub).joined()
        }
    }

    // MARK: text

    /// Where inline secrets were reported, so every excerpt of those lines masks them.
    private var secretColumns: [SourceLocation: [Int]] = [:]

    private func textRenderer(for diagnostics: [Diagnostic]) -> DiagnosticRenderer {
        var renderer = self
        for diagnostic in diagnostics where diagnostic.code == .inlineSecret {
            let line = SourceLocation(file: diagnostic.location.file, line: diagnostic.location.line, column: 0)
            renderer.secretColumns[line, default: []].append(diagnostic.location.column)
        }
        return renderer
    }

    private func renderText(_ diagnostics: [Diagnostic], summary: String?) -> String {
        var out = diagnostics.map(renderText).joined(separator: "\n")
        if !diagnostics.isEmpty { out += "\n" }
        let errors = diagnostics.count { $0.severity == .error }
        let warnings = diagnostics.count { $0.severity == .warning }
        if errors + warnings > 0 {
            out += [Self.count(errors, "error"), Self.count(warnings, "warning")].filter { !$0.hasPrefix("0 ") }.joined(separator: ", ") + "\n"
        }
        if let summary, errors == 0 { out += summary + "\n" }
        return out
    }

    /// `path:line:col: error[GW2001]: message`, the source line with a caret, then hint and notes.
    public func renderText(_ diagnostic: Diagnostic) -> String {
        let location = diagnostic.location
        var out = "\(location): \(diagnostic.severity.rawValue)[\(diagnostic.code.rawValue)]: \(diagnostic.message)\n"
        let lineKey = SourceLocation(file: location.file, line: location.line, column: 0)
        var masked = secretColumns[lineKey] ?? []
        if diagnostic.code == .inlineSecret, !masked.contains(location.column) { masked.append(location.column) }
        if let excerpt = SourceExcerpt(diagnostic, in: sources[location.file], secretColumns: masked) {
            out += excerpt.text
        }
        if let hint = diagnostic.hint { out += "  hint: \(hint)\n" }
        for note in diagnostic.notes { out += "  note: \(note.location): \(note.message)\n" }
        return out
    }

    private static func count(_ n: Int, _ noun: String) -> String { "\(n) \(noun)\(n == 1 ? "" : "s")" }

    // MARK: json

    private func renderJSON(_ diagnostics: [Diagnostic]) -> String {
        let items = diagnostics.map { d -> String in
            var fields = [
                ("file", JSONText.quoted(d.location.file)), ("line", "\(d.location.line)"), ("column", "\(d.location.column)"),
                ("severity", JSONText.quoted(d.severity.rawValue)), ("code", JSONText.quoted(d.code.rawValue)),
                ("title", JSONText.quoted(d.code.title)), ("message", JSONText.quoted(d.message)),
            ]
            if let hint = d.hint { fields.append(("hint", JSONText.quoted(hint))) }
            let notes = d.notes.map { n in
                "{\"file\":\(JSONText.quoted(n.location.file)),\"line\":\(n.location.line),\"column\":\(n.location.column),\"message\":\(JSONText.quoted(n.message))}"
            }
            fields.append(("notes", "[\(notes.joined(separator: ","))]"))
            return "{" + fields.map { "\"\($0.0)\":\($0.1)" }.joined(separator: ",") + "}"
        }
        let errors = diagnostics.count { $0.severity == .error }
        let warnings = diagnostics.count { $0.severity == .warning }
        return "{\"errors\":\(errors),\"warnings\":\(warnings),\"diagnostics\":[\(items.joined(separator: ","))]}\n"
    }

    // MARK: github

    /// `::error file=...,line=...,col=...,title=GW2001::message` (workflow command syntax).
    private func renderGitHub(_ d: Diagnostic) -> String {
        let command = d.severity == .error ? "error" : "warning"
        var message = d.message
        if let hint = d.hint { message += "\nhint: \(hint)" }
        for note in d.notes { message += "\nnote: \(note.location): \(note.message)" }
        let properties = "file=\(Self.escapeProperty(d.location.file)),line=\(d.location.line),col=\(d.location.column),title=\(d.code.rawValue) \(Self.escapeProperty(d.code.title))"
        return "::\(command) \(properties)::\(Self.escapeData(message))\n"
    }

    static func escapeData(_ text: String) -> String {
        text.replacing("%", with: "%25").replacing("\r", with: "%0D").replacing("\n", with: "%0A")
    }

    static func escapeProperty(_ text: String) -> String {
        escapeData(text).replacing(":", with: "%3A").replacing(",", with: "%2C")
    }
}
