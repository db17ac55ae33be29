/// Splits a condition into tokens. Offsets count Unicode scalars of the text, the unit
/// `YAMLScalar.location(ofOffset:)` maps back to the file.
struct ExpressionLexer {
    enum TokenKind: Equatable {
        case identifier(String)
        case string(String)
        case integer(Int64)
        case symbol(String)
        case end
    }

    struct Token {
        var kind: TokenKind
        var offset: Int
    }

    struct LexError: Error {
        var message: String
        var offset: Int
        var hint: String?
    }

    private let scalars: [Unicode.Scalar]
    private var position = 0

    init(_ text: String) {
        scalars = Array(text.unicodeScalars)
    }

    /// Conditions are short; a hostile multi-megabyte one is refused rather than parsed.
    static let maxLength = 4_096

    mutating func tokenize() throws(LexError) -> [Token] {
        if scalars.count > Self.maxLength {
            throw LexError(message: "condition is \(scalars.count) characters, over the \(Self.maxLength) limit", offset: 0,
                           hint: "split it into named policies")
        }
        var tokens: [Token] = []
        while true {
            skipWhitespace()
            guard position < scalars.count else { break }
            tokens.append(try next())
        }
        tokens.append(Token(kind: .end, offset: scalars.count))
        return tokens
    }

    private mutating func skipWhitespace() {
        while position < scalars.count, scalars[position].properties.isWhitespace { position += 1 }
    }

    private static let twoCharacterSymbols: Set<String> = ["==", "!=", "<=", ">=", "&&", "||"]
    private static let oneCharacterSymbols: Set<Unicode.Scalar> = ["(", ")", "[", "]", ",", ".", "<", ">", "!", "-"]

    private mutating func next() throws(LexError) -> Token {
        let start = position
        let c = scalars[position]
        if c == "\"" || c == "'" { return Token(kind: .string(try string(quote: c)), offset: start) }
        if c.properties.numericType != nil && c.isASCII { return Token(kind: .integer(try integer()), offset: start) }
        if c.properties.isAlphabetic || c == "_" { return Token(kind: .identifier(identifier()), offset: start) }
        if position + 1 < scalars.count {
            let pair = String(String.UnicodeScalarView([c, scalars[position + 1]]))
            if Self.twoCharacterSymbols.contains(pair) {
                position += 2
                return Token(kind: .symbol(pair), offset: start)
            }
        }
        if Self.oneCharacterSymbols.contains(c) {
            position += 1
            return Token(kind: .symbol(String(c)), offset: start)
        }
        throw LexError(message: "unexpected character `\(c)`", offset: start, hint: Self.hint(for: c))
    }

    private static func hint(for c: Unicode.Scalar) -> String? {
        switch c {
        case "=": "compare with `==`"
        case "&": "write `&&` for and"
        case "|": "write `||` for or"
        default: nil
        }
    }

    private mutating func identifier() -> String {
        let start = position
        while position < scalars.count,
              scalars[position].properties.isAlphabetic || scalars[position] == "_"
              || (scalars[position].isASCII && scalars[position].properties.numericType != nil) {
            position += 1
        }
        return String(String.UnicodeScalarView(scalars[start..<position]))
    }

    private mutating func integer() throws(LexError) -> Int64 {
        let start = position
        while position < scalars.count, scalars[position].isASCII, scalars[position].properties.numericType != nil {
            position += 1
        }
        let text = String(String.UnicodeScalarView(scalars[start..<position]))
        guard let value = Int64(text) else {
            throw LexError(message: "integer `\(text)` is too large", offset: start, hint: nil)
        }
        return value
    }

    private mutating func string(quote: Unicode.Scalar) throws(LexError) -> String {
        let start = position
        position += 1
        var value = String.UnicodeScalarView()
        while position < scalars.count {
            let c = scalars[position]
            position += 1
            if c == quote { return String(value) }
            if c == "\\" {
                guard position < scalars.count else { break }
                let escaped = scalars[position]
                position += 1
                switch escaped {
                case "n": value.append("\n")
                case "t": value.append("\t")
                case "\\", "\"", "'": value.append(escaped)
                default:
                    throw LexError(message: "unknown escape `\\\(escaped)`", offset: position - 2,
                                   hint: "the escapes are \\n, \\t, \\\\, \\\" and \\'")
                }
            } else {
                value.append(c)
            }
        }
        throw LexError(message: "string is not closed", offset: start, hint: "add the closing \(quote)")
    }
}
