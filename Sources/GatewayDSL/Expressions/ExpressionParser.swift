/// Parses a condition's text into an `Expression`, with positions mapped into the spec.
///
/// A precedence-climbing parser: `||` binds loosest, then `&&`, then comparisons and
/// `in` (which do not chain), then unary `!` and `-`, then postfix `.name`, `[index]`
/// and calls. Nesting is bounded, so hostile input cannot exhaust the stack.
public struct ExpressionParser {
    public struct Failure: Error, Sendable {
        public var message: String
        public var location: SourceLocation
        public var hint: String?
    }

    static let maxDepth = 64

    private var tokens: [ExpressionLexer.Token] = []
    private var index = 0
    private var depth = 0
    private let locate: (Int) -> SourceLocation

    private init(locate: @escaping (Int) -> SourceLocation) {
        self.locate = locate
    }

    /// Parses the text of `scalar`.
    public static func parse(_ scalar: YAMLScalar) -> Result<Expression, Failure> {
        parse(scalar.value) { scalar.location(ofOffset: $0) }
    }

    /// Parses `text`; `locate` turns an offset in the text into a spec position.
    public static func parse(_ text: String, locate: @escaping (Int) -> SourceLocation) -> Result<Expression, Failure> {
        var parser = ExpressionParser(locate: locate)
        do {
            var lexer = ExpressionLexer(text)
            parser.tokens = try lexer.tokenize()
        } catch {
            return .failure(Failure(message: error.message, location: locate(error.offset), hint: error.hint))
        }
        do throws(Failure) {
            if case .end = parser.peek.kind {
                throw parser.failure("condition is empty", hint: "write an expression such as `time.hour >= 8`")
            }
            let expression = try parser.parseBinary(minimumPrecedence: 1)
            guard case .end = parser.peek.kind else {
                throw parser.failure("unexpected \(parser.describe(parser.peek)) after a complete expression",
                                     hint: "join conditions with `&&` or `||`")
            }
            return .success(expression)
        } catch {
            return .failure(error)
        }
    }

    // MARK: Grammar

    private mutating func parseBinary(minimumPrecedence: Int) throws(Failure) -> Expression {
        try enter()
        defer { depth -= 1 }
        var lhs = try parseUnary()
        while let op = binaryOperator(peek), op.precedence >= minimumPrecedence {
            let opToken = advance()
            let rhs = try parseBinary(minimumPrecedence: op.precedence + 1)
            lhs = Expression(.binary(op, lhs, rhs), at: locate(opToken.offset))
            if op.precedence == 3, let next = binaryOperator(peek), next.precedence == 3 {
                throw failure("comparisons do not chain", hint: "join the two comparisons with `&&`")
            }
        }
        return lhs
    }

    private mutating func parseUnary() throws(Failure) -> Expression {
        if case .symbol(let s) = peek.kind, s == "!" || s == "-" {
            try enter()
            defer { depth -= 1 }
            let token = advance()
            let operand = try parseUnary()
            let op: Expression.UnaryOperator = s == "!" ? .not : .negate
            if op == .negate, case .integer(let value) = operand.kind {
                return Expression(.integer(-value), at: locate(token.offset))
            }
            return Expression(.unary(op, operand), at: locate(token.offset))
        }
        return try parsePostfix(try parsePrimary())
    }

    private mutating func parsePostfix(_ base: Expression) throws(Failure) -> Expression {
        var expression = base
        while case .symbol(let s) = peek.kind, s == "." || s == "[" || s == "(" {
            let token = advance()
            switch s {
            case ".":
                guard case .identifier(let name) = peek.kind else {
                    throw failure("expected a field name after `.`, found \(describe(peek))", hint: nil)
                }
                advance()
                expression = Expression(.member(expression, name: name), at: locate(token.offset))
            case "[":
                try enter()
                let index = try parseBinary(minimumPrecedence: 1)
                depth -= 1
                try expect("]", closing: token)
                expression = Expression(.index(expression, index), at: locate(token.offset))
            default:
                let arguments = try parseList(closing: ")", opener: token)
                switch expression.kind {
                case .identifier(let name):
                    expression = Expression(.call(receiver: nil, name: name, arguments: arguments), at: expression.location)
                case .member(let receiver, let name):
                    expression = Expression(.call(receiver: receiver, name: name, arguments: arguments), at: expression.location)
                default:
                    throw Failure(message: "only a name can be called", location: locate(token.offset), hint: nil)
                }
            }
        }
        return expression
    }

    private mutating func parsePrimary() throws(Failure) -> Expression {
        let token = peek
        let at = locate(token.offset)
        switch token.kind {
        case .string(let value):
            advance()
            return Expression(.string(value), at: at)
        case .integer(let value):
            advance()
            return Expression(.integer(value), at: at)
        case .identifier("true"), .identifier("false"):
            advance()
            return Expression(.boolean(token.kind == .identifier("true")), at: at)
        case .identifier("null"):
            advance()
            return Expression(.null, at: at)
        case .identifier(let name):
            advance()
            return Expression(.identifier(name), at: at)
        case .symbol("("):
            advance()
            try enter()
            let inner = try parseBinary(minimumPrecedence: 1)
            depth -= 1
            try expect(")", closing: token)
            return inner
        case .symbol("["):
            advance()
            try enter()
            defer { depth -= 1 }
            return Expression(.list(try parseList(closing: "]", opener: token)), at: at)
        default:
            throw failure("expected a value, found \(describe(token))", hint: nil)
        }
    }

    /// Items up to `closing`, the opener already consumed.
    private mutating func parseList(closing: String, opener: ExpressionLexer.Token) throws(Failure) -> [Expression] {
        var items: [Expression] = []
        if peek.kind == .symbol(closing) {
            advance()
            return items
        }
        while true {
            items.append(try parseBinary(minimumPrecedence: 1))
            if peek.kind == .symbol(",") {
                advance()
                continue
            }
            try expect(closing, closing: opener)
            return items
        }
    }

    // MARK: Tokens

    private var peek: ExpressionLexer.Token { tokens[index] }

    @discardableResult
    private mutating func advance() -> ExpressionLexer.Token {
        let token = tokens[index]
        if index < tokens.count - 1 { index += 1 }
        return token
    }

    private mutating func expect(_ symbol: String, closing opener: ExpressionLexer.Token) throws(Failure) {
        guard peek.kind == .symbol(symbol) else {
            let openerAt = locate(opener.offset)
            throw failure("expected `\(symbol)` to close the `\(describe(opener, quoted: false))` at column \(openerAt.column), found \(describe(peek))", hint: nil)
        }
        advance()
    }

    private mutating func enter() throws(Failure) {
        depth += 1
        if depth > Self.maxDepth {
            throw failure("condition nests deeper than \(Self.maxDepth) levels", hint: "split it into named policies")
        }
    }

    private func binaryOperator(_ token: ExpressionLexer.Token) -> Expression.BinaryOperator? {
        switch token.kind {
        case .symbol(let s): Expression.BinaryOperator(rawValue: s)
        case .identifier("in"): .in
        default: nil
        }
    }

    private func failure(_ message: String, hint: String?) -> Failure {
        Failure(message: message, location: locate(peek.offset), hint: hint)
    }

    private func describe(_ token: ExpressionLexer.Token, quoted: Bool = true) -> String {
        let text: String
        switch token.kind {
        case .end: return "the end of the condition"
        case .identifier(let name): text = name
        case .string(let value): text = "\"\(value)\""
        case .integer(let value): text = "\(value)"
        case .symbol(let s): text = s
        }
        return quoted ? "`\(text)`" : text
    }
}
