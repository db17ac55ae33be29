/// Maps an offset inside a scalar's value back to the file, so an error in a condition
/// or a path template points at the exact character, even inside a `>` block.
struct ScalarPositionMap {
    /// Each piece of the value that came from one source line: where it starts in the
    /// value and where that is in the file.
    private var pieces: [(valueOffset: Int, line: Int, column: Int)] = []
    private let fallback: SourceLocation

    init(scalar: YAMLScalar) {
        fallback = scalar.location
        let start = scalar.location
        let quoteWidth = (scalar.style == .singleQuoted || scalar.style == .doubleQuoted) ? 1 : 0
        guard let source = scalar.source, scalar.endLine > start.line || scalar.style == .literal || scalar.style == .folded else {
            pieces = [(0, start.line, start.column + quoteWidth)]
            return
        }
        var offset = 0
        let isBlock = scalar.style == .literal || scalar.style == .folded
        let firstLine = isBlock ? start.line + 1 : start.line
        let lastLine = min(max(scalar.endLine, firstLine), source.lines.count)
        guard firstLine <= lastLine else {
            pieces = [(0, start.line, start.column + quoteWidth)]
            return
        }
        // A block scalar keeps indentation beyond the block's own; other multi-line
        // scalars fold every line's leading whitespace away.
        let blockIndent = isBlock ? Self.indentation(of: source.lines[(firstLine - 1)...(lastLine - 1)]) : nil
        for number in firstLine...lastLine {
            let text = source.lines[number - 1]
            let isBlank = text.allSatisfy { $0 == " " || $0 == "\t" }
            let column: Int
            if number == start.line {
                column = start.column + quoteWidth
            } else if let blockIndent {
                column = blockIndent + 1
            } else {
                column = (text.firstIndex { $0 != " " && $0 != "\t" } ?? text.count) + 1
            }
            let length = max(0, text.count - (column - 1))
            if isBlank && number != start.line {
                // A literal block keeps each blank line as a line break; folding drops it.
                if scalar.style == .literal { offset += 1 }
                continue
            }
            pieces.append((offset, number, column))
            offset += length + 1
        }
        if pieces.isEmpty { pieces = [(0, start.line, start.column + quoteWidth)] }
    }

    /// The indentation of the first non-blank line: a block scalar's own indentation.
    private static func indentation(of lines: ArraySlice<[Unicode.Scalar]>) -> Int {
        for line in lines where line.contains(where: { $0 != " " && $0 != "\t" }) {
            return line.firstIndex { $0 != " " } ?? 0
        }
        return 0
    }

    func location(ofOffset offset: Int) -> SourceLocation {
        guard let piece = pieces.last(where: { $0.valueOffset <= offset }) else { return fallback }
        return SourceLocation(file: fallback.file, line: piece.line, column: piece.column + offset - piece.valueOffset)
    }
}
