import Testing
@testable import GatewayDSL

@Suite("Condition expressions")
struct ExpressionParserTests {
    func parse(_ text: String) -> Result<Expression, ExpressionParser.Failure> {
        ExpressionParser.parse(text) { SourceLocation(file: "t", line: 1, column: $0 + 1) }
    }

    @Test("precedence: ! binds tightest, then comparisons, then &&, then ||", arguments: [
        ("a || b && c", "(a || (b && c))"),
        ("!a.b == c", "(!a.b == c)"),
        ("x == 1 && y != 2 || z", "(((x == 1) && (y != 2)) || z)"),
        ("\"trader\" in principal.roles", "(\"trader\" in principal.roles)"),
        ("request.header[\"x-region\"] == \"eu\"", "(request.header[\"x-region\"] == \"eu\")"),
        ("request.path.startsWith(\"/api\")", "request.path.startsWith(\"/api\")"),
        ("time.hour >= -1", "(time.hour >= -1)"),
        ("(a || b) && c", "((a || b) && c)"),
        ("x in [1, 2, 3]", "(x in [1, 2, 3])"),
        ("'single' == \"double\"", "(\"single\" == \"double\")"),
    ])
    func precedence(text: String, printed: String) throws {
        #expect(try parse(text).get().description == printed)
    }

    @Test("syntax errors point at the offending character", arguments: [
        ("time.hour = 3", 11, "unexpected character `=`"),
        ("(a || b", 8, "expected `)`"),
        ("a ==", 5, "expected a value"),
        ("\"open", 1, "string is not closed"),
        ("a == 1 == 2", 8, "comparisons do not chain"),
        ("a b", 3, "after a complete expression"),
        ("", 1, "condition is empty"),
        ("x.", 3, "expected a field name"),
        ("a @ b", 3, "unexpected character `@`"),
    ])
    func errors(text: String, column: Int, message: String) {
        guard case .failure(let failure) = parse(text) else {
            Issue.record("`\(text)` should not parse")
            return
        }
        #expect(failure.location.column == column)
        #expect(failure.message.contains(message), "\(failure.message)")
    }

    @Test("nesting is bounded")
    func deepNesting() {
        let text = String(repeating: "(", count: 5_000) + "a" + String(repeating: ")", count: 5_000)
        guard case .failure(let failure) = parse(text) else { Issue.record("should fail"); return }
        #expect(failure.message.contains("deeper") || failure.message.contains("over the"))
        let unary = String(repeating: "!", count: 1_000) + "a"
        guard case .failure = parse(unary) else { Issue.record("should fail"); return }
    }

    @Test("nodes carry the positions of their operators and operands")
    func locations() throws {
        let expression = try parse("a && b == c").get()
        guard case .binary(.and, let lhs, let rhs) = expression.kind else { Issue.record("shape"); return }
        #expect(expression.location.column == 3)
        #expect(lhs.location.column == 1)
        #expect(rhs.location.column == 8)
    }

    @Test("positions inside a folded YAML block map to the right line and column")
    func foldedBlockPositions() throws {
        let result = readYAML("p: >\n  a == 1\n    && b == 2\n")
        guard case .mapping(let root) = try #require(result.root), case .scalar(let scalar) = root.entries[0].value else { return }
        let expression = try ExpressionParser.parse(scalar).get()
        guard case .binary(.and, _, let rhs) = expression.kind else { Issue.record("shape"); return }
        #expect(expression.location == SourceLocation(file: "t.yaml", line: 3, column: 5))
        #expect(rhs.location == SourceLocation(file: "t.yaml", line: 3, column: 10))
    }
}
