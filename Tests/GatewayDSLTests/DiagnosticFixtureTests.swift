import Foundation
import Testing
@testable import GatewayDSL

/// Fixtures/bad holds one small bad spec per diagnostic code. Each declares what it
/// must produce with `# expect: SEVERITY CODE LINE:COL` comments; a fixture passes
/// only when the loader reports exactly those diagnostics, no more and no fewer.
@Suite("Every diagnostic code, from a bad spec")
struct DiagnosticFixtureTests {
    static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/bad")

    static var fixtures: [String] {
        (try? FileManager.default.contentsOfDirectory(atPath: folder.path).sorted()) ?? []
    }

    /// Codes whose trigger cannot be a small file, tested in YAMLReaderTests instead.
    static let testedElsewhere: Set<DiagnosticCode> = [.unreadableFile]

    @Test("fixture reports exactly its expected diagnostics", arguments: fixtures)
    func fixture(_ name: String) throws {
        let path = Self.folder.appendingPathComponent(name).path
        let result = try SpecLoader().load(paths: [path])
        var expected: [String] = []
        for file in result.files {
            let text = String(decoding: FileManager.default.contents(atPath: file) ?? Data(), as: UTF8.self)
            for line in text.split(separator: "\n") where line.hasPrefix("# expect: ") {
                expected.append(String(line.dropFirst("# expect: ".count)))
            }
        }
        #expect(!expected.isEmpty, "fixture \(name) declares no `# expect:` line")
        #expect(summaries(result).sorted() == expected.sorted(), "\(name):\n\(DiagnosticRenderer(format: .text, sources: result.sources).render(result.diagnostics))")
    }

    @Test("every reader, schema and spec-check code has a fixture named after it (compiler codes: CompilerTests)")
    func everyCodeCovered() {
        let covered = Set(Self.fixtures.compactMap { DiagnosticCode(rawValue: String($0.prefix(6))) })
        let dslCodes = DiagnosticCode.allCases.filter { !$0.rawValue.hasPrefix("GW4") }
        let missing = Set(dslCodes).subtracting(covered).subtracting(Self.testedElsewhere)
        #expect(missing.isEmpty, "no fixture for \(missing.map(\.rawValue).sorted())")
    }

    @Test("a fixture's file name matches the code it expects")
    func namesMatchCodes() throws {
        for name in Self.fixtures {
            let path = Self.folder.appendingPathComponent(name).path
            let result = try SpecLoader().load(paths: [path])
            #expect(result.diagnostics.contains { $0.code.rawValue == String(name.prefix(6)) }, "\(name) does not produce its code")
        }
    }
}
