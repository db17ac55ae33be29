import Testing
@testable import GatewayDSL

@Suite("YAML reader")
struct YAMLReaderTests {
    @Test("scalars, lists and mappings carry 1-based lines and columns")
    func locations() throws {
        let result = readYAML("""
            gateway: demo
            services:
              pricing:
                endpoints: [http://a:1, "http://b:2"]
            """)
        #expect(result.diagnostics.isEmpty)
        guard case .mapping(let root) = try #require(result.root) else { Issue.record("root is not a mapping"); return }
        #expect(root.location == SourceLocation(file: "t.yaml", line: 1, column: 1))
        #expect(root.entries[0].key.location == SourceLocation(file: "t.yaml", line: 1, column: 1))
        guard case .scalar(let name) = root.entries[0].value else { Issue.record("gateway is not a scalar"); return }
        #expect(name.value == "demo")
        #expect(name.location.column == 10)
        guard case .mapping(let services) = root.entries[1].value,
              case .mapping(let pricing) = services.entries[0].value,
              case .sequence(let endpoints) = pricing.entries[0].value
        else { Issue.record("unexpected shape"); return }
        #expect(endpoints.location == SourceLocation(file: "t.yaml", line: 4, column: 16))
        #expect(endpoints.items.map(\.location.column) == [17, 29])
        guard case .scalar(let quoted) = endpoints.items[1] else { return }
        #expect(quoted.style == .doubleQuoted)
    }

    @Test("columns count characters, not bytes")
    func unicodeColumns() throws {
        let result = readYAML("description: \"€€€\"\nnext: x\nsame: é é x\n")
        guard case .mapping(let root) = try #require(result.root),
              case .scalar(let value) = root.entries[2].value else { Issue.record("shape"); return }
        #expect(value.location.column == 7)
        #expect(value.location(ofOffset: 4) == SourceLocation(file: "t.yaml", line: 3, column: 11))
    }

    @Test("a duplicate key is an error that names both lines")
    func duplicateKey() {
        let result = readYAML("a: 1\nb: 2\na: 3\n")
        #expect(result.diagnostics.map(summary) == ["error GW1004 3:1"])
        let diagnostic = result.diagnostics[0]
        #expect(diagnostic.message.contains("line 1"))
        #expect(diagnostic.notes.map(\.location.line) == [1])
    }

    @Test("aliases and merge keys expand; explicit keys win over merged ones")
    func aliasesAndMerge() throws {
        let result = readYAML("""
            base: &base { timeout: 1s, balance: round-robin }
            svc:
              <<: *base
              timeout: 2s
            list: [*base]
            """)
        #expect(result.diagnostics.isEmpty)
        guard case .mapping(let root) = try #require(result.root),
              case .mapping(let svc) = root.entries[1].value else { Issue.record("shape"); return }
        #expect(svc.entries.map(\.key.value) == ["timeout", "balance"])
        guard case .scalar(let timeout) = svc.entries[0].value else { return }
        #expect(timeout.value == "2s")
    }

    @Test("an alias bomb is refused quickly, before it is expanded")
    func billionLaughs() {
        var text = "a: &a [\(Array(repeating: "\"lol\"", count: 10).joined(separator: ","))]\n"
        var previous = "a"
        for name in ["b", "c", "d", "e", "f", "g", "h", "i", "j"] {
            text += "\(name): &\(name) [\(Array(repeating: "*\(previous)", count: 10).joined(separator: ","))]\n"
            previous = name
        }
        let clock = ContinuousClock()
        var result: YAMLReader.Result?
        let elapsed = clock.measure { result = readYAML(text) }
        #expect(result?.diagnostics.map(\.code) == [.aliasBudget])
        #expect(result?.root == nil)
        #expect(elapsed < .seconds(1), "took \(elapsed)")
    }

    @Test("100,000 nested sequences give an error, not a stack overflow")
    func deepNesting() {
        let depth = 100_000
        let text = String(repeating: "[", count: depth) + String(repeating: "]", count: depth)
        let result = readYAML(text)
        #expect(result.diagnostics.map(summary) == ["error GW1006 1:65"])
    }

    @Test("a mapping with 50,000 keys reads in linear time, not quadratic")
    func wideMapping() {
        let text = (0..<50_000).map { "key\($0): \($0)" }.joined(separator: "\n")
        let clock = ContinuousClock()
        var result: YAMLReader.Result?
        let elapsed = clock.measure { result = readYAML(text) }
        guard case .mapping(let mapping) = result?.root else { Issue.record("not a mapping"); return }
        #expect(mapping.entries.count == 50_000)
        // Linear reading takes well under a second even in debug builds; the quadratic
        // copy this guards against took minutes at this size.
        #expect(elapsed < .seconds(10), "took \(elapsed)")
    }

    @Test("nesting within the limit reads fine")
    func nestingWithinLimit() {
        let text = String(repeating: "[", count: 60) + String(repeating: "]", count: 60)
        #expect(readYAML(text).diagnostics.isEmpty)
    }

    @Test("bad UTF-8 is reported at the broken character")
    func invalidUTF8() {
        let bytes: [UInt8] = Array("a: 1\nb: xy".utf8) + [0xC3, 0x28] + Array("\n".utf8)
        let result = YAMLReader().read(bytes, file: "t.yaml")
        #expect(result.diagnostics.map(summary) == ["error GW1002 2:6"])
    }

    @Test("control characters are reported with their position")
    func controlCharacter() {
        let result = readYAML("a: 1\nb: x\u{07}y\n")
        #expect(result.diagnostics.map(summary) == ["error GW1002 2:5"])
    }

    @Test("a tab used for indentation gets its own error")
    func tabs() {
        let result = readYAML("a:\n\tb: 1\n")
        #expect(result.diagnostics.map(summary) == ["error GW1003 2:1"])
        #expect(result.diagnostics.first?.hint?.contains("spaces") == true)
    }

    @Test("a NUL byte is refused as binary")
    func nulByte() {
        let result = YAMLReader().read(Array("a: 1\nb: 2".utf8) + [0] + Array("\n".utf8), file: "t.yaml")
        #expect(result.diagnostics.map(summary) == ["error GW1002 2:5"])
    }

    @Test("an empty file, and a file of comments only, are errors")
    func emptyFiles() {
        #expect(readYAML("").diagnostics.map(\.code) == [.emptyFile])
        #expect(readYAML("# nothing here\n\n").diagnostics.map(\.code) == [.emptyFile])
    }

    @Test("a file over the size limit is refused before parsing")
    func fileTooLarge() {
        var limits = YAMLReader.Limits()
        limits.maxFileBytes = 16
        let result = readYAML("gateway: a-name-that-is-long\n", limits: limits)
        #expect(result.diagnostics.map(\.code) == [.unreadableFile])
    }

    @Test("libyaml's parser errors keep problem and context positions")
    func parserError() {
        let result = readYAML("a: [1, 2\nb: 3\n")
        let diagnostic = result.diagnostics.first
        #expect(diagnostic?.code == .yamlSyntax)
        #expect(diagnostic?.notes.first?.location.line == 1)
    }

    @Test("random bytes always end in diagnostics or a tree, never a crash", arguments: 0..<200)
    func randomBinary(seed: Int) {
        var generator = SeededGenerator(state: UInt64(seed))
        let count = Int.random(in: 0...2048, using: &generator)
        let bytes = (0..<count).map { _ in UInt8.random(in: 0...255, using: &generator) }
        let result = YAMLReader().read(bytes, file: "random.bin")
        #expect(result.root != nil || !result.diagnostics.isEmpty)
    }
}
