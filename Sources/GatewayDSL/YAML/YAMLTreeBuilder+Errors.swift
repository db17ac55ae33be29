import CLibYAML

extension YAMLTreeBuilder {
    /// libyaml's error, as a diagnostic at the problem's position.
    func parserError(_ parser: yaml_parser_t, bytes: [UInt8]) -> Diagnostic {
        let problem = parser.problem.map { String(cString: $0) } ?? "unknown problem"
        if parser.error == YAML_READER_ERROR {
            var offset = parser.problem_offset
            if problem.contains("trailing") || problem.contains("incomplete") {
                offset = ByteOffsets.sequenceStart(before: offset, in: bytes)
            }
            let at = ByteOffsets.location(of: offset, in: bytes, file: file)
            return .error(
                .invalidEncoding, "\(problem) (byte \(offset))", at: at,
                hint: "spec files must be UTF-8 text without control characters")
        }
        if parser.error == YAML_MEMORY_ERROR {
            return .error(.unreadableFile, "libyaml ran out of memory", at: SourceLocation(file: file, line: 1, column: 1))
        }
        let mark = parser.problem_mark
        let at = SourceLocation(file: file, line: Int(mark.line) + 1, column: Int(mark.column) + 1)
        if let tab = tabInIndentation(line: at.line) {
            return .error(
                .tabIndentation, "a tab is used for indentation", at: tab,
                hint: "YAML indents with spaces only; replace the tab with spaces")
        }
        var notes: [Diagnostic.Note] = []
        var message = problem
        if let context = parser.context.map({ String(cString: $0) }) {
            let contextMark = parser.context_mark
            let contextAt = SourceLocation(file: file, line: Int(contextMark.line) + 1, column: Int(contextMark.column) + 1)
            message = "\(problem) \(context)"
            if contextAt != at { notes.append(.init(context + " (started here)", at: contextAt)) }
        }
        return .error(.yamlSyntax, message, at: at, hint: Self.syntaxHint(problem), notes: notes)
    }

    /// The position of a tab in the leading whitespace of `line` or the line before it.
    private func tabInIndentation(line: Int) -> SourceLocation? {
        for number in [line, line - 1] where number >= 1 && number <= source.lines.count {
            let text = source.lines[number - 1]
            for (index, character) in text.enumerated() {
                if character == "\t" { return SourceLocation(file: file, line: number, column: index + 1) }
                if character != " " { break }
            }
        }
        return nil
    }

    private static func syntaxHint(_ problem: String) -> String? {
        if problem.contains("mapping values are not allowed") {
            return "quote a value that contains `: `, or check the indentation of this line"
        }
        if problem.contains("did not find expected key") || problem.contains("did not find expected '-'") {
            return "check that this line is indented like its siblings"
        }
        if problem.contains("found undefined tag") || problem.contains("did not find expected node content") {
            return "a value is missing or a bracket is not closed"
        }
        if problem.contains("did not find expected ',' or '}'") || problem.contains("did not find expected ',' or ']'") {
            return "inside `{ ... }` or `[ ... ]`, quote values that contain `{`, `}`, `[`, `]` or `,`, e.g. \"/quotes/{pair}\""
        }
        if problem.contains("found unexpected end of stream") {
            return "a quote or bracket is opened but never closed"
        }
        return nil
    }
}
