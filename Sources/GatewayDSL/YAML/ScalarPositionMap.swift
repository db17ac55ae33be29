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
        for number in firstLine...lastLine {
            let text = source.lines[number - 1]
            let column: Int
            if number == start.line {
                column = start.column + quoteWidth
            } else {
                column = (text.firstIndex { $0 != " " && $0 != "\t" } ?? text.count) + 1
            }
            let length = max(0, text.count - (column - 1))
            if length == 0 && number != start.line { continue }
            pieces.append((offset, number, column))
            offset += length + 1
        }
        if pieces.isEmpty { pieces = [(0, start.line, start.column + quoteWidth)] }
    }

    func location(ofOffset offset: Int) -> SourceLocation {
        guard let piece = pieces.last(where: { $0.valueOffset <= offset }) else { return fallback }
        return SourceLocation(file: fallback.file, line: piece.line, column: piece.column + offset - piece.valueOffset)
    }
}
