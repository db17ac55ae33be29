/// Parses the restricted pattern language of constrained path parameters.
struct PathPatternParser {
    struct Failure: Error {
        var message: String
        var offset: Int
    }

    /// Repetition bound, so `{999999999}` cannot become a giant automaton later.
    static let maxRepeat = 256

    private let characters: [Character]
    private var position = 0

    private init(_ text: String) {
        characters = Array(text)
    }

    static func parse(_ text: String) -> Result<PathPattern, Failure> {
        var parser = PathPatternParser(text)
        do {
            let alternatives = try parser.alternatives()
            return .success(PathPattern(alternatives: alternatives, source: text))
        } catch let failure as Failure {
            return .failure(failure)
        } catch {
            return .failure(Failure(message: "invalid pattern", offset: 0))
        }
    }

    private mutating func alternatives() throws -> [[PathPattern.Atom]] {
        var result: [[PathPattern.Atom]] = [[]]
        while position < characters.count {
            let c = characters[position]
            if c == "|" {
                if result[result.count - 1].isEmpty { throw Failure(message: "empty alternative before `|`", offset: position) }
                result.append([])
                position += 1
                continue
            }
            var atom = try atom()
            try quantifier(&atom)
            result[result.count - 1].append(atom)
        }
        if result[result.count - 1].isEmpty {
            throw Failure(message: result.count == 1 ? "pattern is empty" : "empty alternative after `|`", offset: position)
        }
        return result
    }

    private mutating func atom() throws -> PathPattern.Atom {
        let c = characters[position]
        if c == "[" { return PathPattern.Atom(ranges: try characterClass(), min: 1, max: 1) }
        if c == "\\" {
            position += 1
            guard position < characters.count else { throw Failure(message: "`\\` at the end of the pattern", offset: position - 1) }
            let escaped = characters[position]
            position += 1
            switch escaped {
            case "d": return PathPattern.Atom(ranges: [ascii("0")...ascii("9")], min: 1, max: 1)
            case "w": return PathPattern.Atom(ranges: Self.wordRanges, min: 1, max: 1)
            default:
                guard let byte = escaped.asciiValue, !escaped.isLetter, !escaped.isNumber else {
                    throw Failure(message: "unknown escape `\\\(escaped)`; known: \\d, \\w, or a punctuation character", offset: position - 2)
                }
                return PathPattern.Atom(ranges: [byte...byte], min: 1, max: 1)
            }
        }
        if "(){}?*+]".contains(c) {
            let hint = c == "(" || c == ")" ? " (groups are not supported; use `a|b` at the top level)" : ""
            throw Failure(message: "unexpected `\(c)` in pattern\(hint)", offset: position)
        }
        guard let byte = c.asciiValue, byte > 32, byte < 127, c != "/" else {
            throw Failure(message: "`\(c)` cannot appear in a path pattern; use printable ASCII other than `/`", offset: position)
        }
        position += 1
        if c == "." { return PathPattern.Atom(ranges: [33...46, 48...126], min: 1, max: 1) }
        return PathPattern.Atom(ranges: [byte...byte], min: 1, max: 1)
    }

    private static let wordRanges: [ClosedRange<UInt8>] = [48...57, 65...90, 95...95, 97...122]

    private mutating func characterClass() throws -> [ClosedRange<UInt8>] {
        let open = position
        position += 1
        var ranges: [ClosedRange<UInt8>] = []
        while position < characters.count, characters[position] != "]" {
            let low = try classCharacter()
            if position + 1 < characters.count, characters[position] == "-", characters[position + 1] != "]" {
                position += 1
                let high = try classCharacter()
                guard low <= high else { throw Failure(message: "range is backwards", offset: position - 1) }
                ranges.append(low...high)
            } else {
                ranges.append(low...low)
            }
        }
        guard position < characters.count else { throw Failure(message: "`[` is not closed", offset: open) }
        position += 1
        if ranges.isEmpty { throw Failure(message: "empty character class", offset: open) }
        return ranges
    }

    private mutating func classCharacter() throws -> UInt8 {
        var c = characters[position]
        if c == "\\", position + 1 < characters.count {
            position += 1
            c = characters[position]
        }
        guard let byte = c.asciiValue, byte > 32, byte < 127, c != "/" else {
            throw Failure(message: "`\(c)` cannot appear in a character class; use printable ASCII other than `/`", offset: position)
        }
        if c == "^" && characters[position - 1] == "[" {
            throw Failure(message: "negated classes `[^...]` are not supported; list what is allowed", offset: position)
        }
        position += 1
        return byte
    }

    private mutating func quantifier(_ atom: inout PathPattern.Atom) throws {
        guard position < characters.count else { return }
        switch characters[position] {
        case "?": atom.min = 0; atom.max = 1; position += 1
        case "*": atom.min = 0; atom.max = nil; position += 1
        case "+": atom.min = 1; atom.max = nil; position += 1
        case "{": try counted(&atom)
        default: return
        }
    }

    private mutating func counted(_ atom: inout PathPattern.Atom) throws {
        let open = position
        guard let close = characters[position...].firstIndex(of: "}") else {
            throw Failure(message: "`{` is not closed", offset: open)
        }
        let body = String(characters[(position + 1)..<close])
        let bounds = body.split(separator: ",", omittingEmptySubsequences: false).map { Int($0.trimmingCharacters()) }
        guard (1...2).contains(bounds.count), let low = bounds[0], low >= 0 else {
            throw Failure(message: "repetition must be `{n}` or `{n,m}`", offset: open)
        }
        let high: Int? = bounds.count == 1 ? low : bounds[1]
        if bounds.count == 2, bounds[1] == nil, !body.hasSuffix(",") {
            throw Failure(message: "repetition must be `{n}` or `{n,m}`", offset: open)
        }
        if let high, high < low { throw Failure(message: "repetition `{\(body)}` has its maximum below its minimum", offset: open) }
        if max(low, high ?? 0) > Self.maxRepeat { throw Failure(message: "repetition is over \(Self.maxRepeat)", offset: open) }
        if high == 0 { throw Failure(message: "repetition `{0}` matches nothing", offset: open) }
        atom.min = low
        atom.max = high
        position = close + 1
    }

    private func ascii(_ c: Character) -> UInt8 { c.asciiValue ?? 0 }
}

extension Substring {
    func trimmingCharacters() -> Substring {
        var text = self
        while text.first == " " { text.removeFirst() }
        while text.last == " " { text.removeLast() }
        return text
    }
}
