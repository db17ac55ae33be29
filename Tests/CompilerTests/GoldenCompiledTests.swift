import Artifact
import Foundation
import Testing
@testable import Compiler

/// golden/<gateway>/compiled.txt holds `gateway inspect` of the compiled specs, so a
/// change in compiled behaviour shows up in review. To accept a change, run
/// `GATEWAY_UPDATE_GOLDEN=1 swift test --filter GoldenCompiledTests` and commit the diff.
@Suite("Golden compiled output")
struct GoldenCompiledTests {
    @Test("specs/ compiles to exactly golden/forex-platform/compiled.txt")
    func forex() throws {
        let (load, compiled) = try Compiler().compile(paths: [repositoryRoot.appendingPathComponent("specs").path])
        let result = try #require(compiled, "\(load.diagnostics)")
        let bytes = try #require(result.bytes, "\(result.diagnostics)")
        var text = Disassembler(try Artifact.decode(bytes)).text()
        text = text.replacingOccurrences(of: repositoryRoot.path + "/", with: "")
        let golden = repositoryRoot.appendingPathComponent("golden/forex-platform/compiled.txt")
        if ProcessInfo.processInfo.environment["GATEWAY_UPDATE_GOLDEN"] == "1" {
            try FileManager.default.createDirectory(at: golden.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data(text.utf8).write(to: golden)
        }
        let expected = String(decoding: FileManager.default.contents(atPath: golden.path) ?? Data(), as: UTF8.self)
        #expect(text == expected, "compiled output differs from \(golden.path); if the change is intended, rerun with GATEWAY_UPDATE_GOLDEN=1")
    }
}
