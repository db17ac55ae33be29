import Testing
@testable import GatewayDSL

@Suite("Route path templates")
struct PathTemplateTests {
    func parse(_ text: String) -> Result<PathTemplate, PathTemplateParser.Failure> {
        PathTemplateParser.parse(text) { SourceLocation(file: "t", line: 1, column: $0 + 1) }
    }

    @Test("segments of each kind")
    func kinds() throws {
        let template = try parse("/api/v1/quotes/{pair:[A-Z]{6}}/{id:uuid}/{name}/{rest...}").get()
        #expect(template.segments.count == 7)
        #expect(template.segments[0] == .literal("api"))
        guard case .constrained("pair", .pattern(let pattern)) = template.segments[3] else { Issue.record("pair"); return }
        #expect(pattern.alternatives.count == 1 && pattern.alternatives[0][0].min == 6 && pattern.alternatives[0][0].max == 6)
        #expect(template.segments[4] == .constrained(name: "id", constraint: .type(.uuid)))
        #expect(template.segments[5] == .parameter(name: "name"))
        #expect(template.segments[6] == .wildcard(name: "rest"))
        #expect(template.parameterNames == ["pair", "id", "name", "rest"])
        #expect(template.segmentLocations.map(\.column) == [2, 6, 9, 16, 32, 42, 49])
    }

    @Test("the root path has no segments")
    func root() throws {
        #expect(try parse("/").get().segments.isEmpty)
    }

    @Test("alternatives in patterns")
    func alternatives() throws {
        guard case .constrained(_, .pattern(let pattern)) = try parse("/{side:buy|sell}").get().segments[0] else { return }
        #expect(pattern.alternatives.count == 2)
    }

    @Test("malformed templates are refused at the offending character", arguments: [
        ("api", 0, "must start with `/`"),
        ("/api/", 4, "ends with `/`"),
        ("/a//b", 3, "empty path segment"),
        ("/a/{id}/{id}", 8, "appears twice"),
        ("/a/{rest...}/b", 13, "must be the last"),
        ("/a/x{id}", 4, "whole segment"),
        ("/a/{id", 3, "not closed"),
        ("/a/{1id}", 4, "parameter name"),
        ("/a/{p:[A-Z}", 6, "`[` is not closed"),
        ("/a/{p:(a|b)}", 6, "groups are not supported"),
        ("/a/{p:[^a]}", 7, "negated classes"),
        ("/a/{p:a{999}}", 7, "over 256"),
        ("/a/{p:}", 6, "empty"),
        ("/a/../b", 3, "normalization"),
        ("/a/%2F", 3, "percent-encoding"),
        ("/a/b c", 4, "not allowed"),
    ])
    func malformed(text: String, offset: Int, message: String) {
        guard case .failure(let failure) = parse(text) else {
            Issue.record("`\(text)` should not parse")
            return
        }
        #expect(failure.offset == offset, "\(failure.message)")
        #expect(failure.message.contains(message), "\(failure.message)")
    }
}
