/// The source line under a text diagnostic, with a caret at the column.
///
/// Long lines are cut to a window around the caret, lines that are not clean text
/// (binary, bad UTF-8) are not echoed, and every value reported as an inline secret
/// is masked on any line shown: an error message must never repeat a secret.
struct SourceExcerpt {
    static let window = 100

    let text: String

    /// `secretColumns` are the 1-based columns on this diagnostic's line where a
    /// reported inline secret starts; each is masked, whichever diagnostic prints the line.
    init?(_ diagnostic: Diagnostic, in source: SourceText?, secretColumns: [Int] = []) {
        let location = diagnostic.location
        guard let source, location.line >= 1, location.line <= source.lines.count else { return nil }
        var line = source.lines[location.line - 1]
        let isClean = line.allSatisfy { $0 == "\t" || ($0.value >= 0x20 && $0.value != 0x7F && $0 != "\u{FFFD}") }
        guard isClean else { return nil }
        let caret = max(0, min(location.column - 1, line.count))
        for column in secretColumns where column >= 1 { Self.mask(&line, from: column - 1) }
        let start = max(0, min(caret - Self.window / 2, line.count - Self.window))
        let end = min(line.count, start + Self.window)
        var shown = String(String.UnicodeScalarView(line[start..<end]))
        var pad = line[start..<caret].map { $0 == "\t" ? "\t" : " " }.joined()
        if start > 0 {
            shown = "..." + shown
            pad = "   " + pad
        }
        if end < line.count { shown += "..." }
        let number = String(location.line)
        let gutter = String(repeating: " ", count: number.count)
        text = " \(number) | \(shown)\n \(gutter) | \(pad)^\n"
    }

    /// Replaces the value starting at `column` with `*` up to a YAML delimiter.
    private static func mask(_ line: inout [Unicode.Scalar], from column: Int) {
        var index = column
        let quote: Unicode.Scalar? = index < line.count && (line[index] == "\"" || line[index] == "'") ? line[index] : nil
        if quote != nil { index += 1 }
        while index < line.count {
            let c = line[index]
            if let quote, c == quote { break }
            if quote == nil, c == "," || c == "}" || c == "]" || c == " " || c == "#" { break }
            line[index] = "*"
            index += 1
        }
    }
}
