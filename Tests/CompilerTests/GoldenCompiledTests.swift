import Artifact
import Foundation
import GatewayDSL
import Testing
@testable import Compiler

/// golden/<gateway>/compiled.txt holds `gateway inspect` of the compiled specs, so a
/// change in compiled behaviour shows up in review. To accept a change, run
/// `GATEWAY_UPDATE_GOLDEN=1 swift test --filter GoldenCompiledTests` and commit the diff.
@Suite("Golden compiled output")
struct GoldenCompiledTests {
    @Test("specs/ compiles to exactly golden/forex-platform/compiled.txt")
    func forex() throws {
        // Files named relative to the repository, as `gateway compile specs` names them there.
        let files = try SpecLoader.discover([repositoryRoot.appendingPathComponent("specs").path]).map { path in
            (String(path.dropFirst(repositoryRoot.path.count + 1)), [UInt8](FileManager.default.contents(atPath: path) ?? Data()))
        }
        let load = SpecLoader().load(sources: files)
        let result = Compiler().compile(try #require(load.spec, "\(load.diagnostics)"))
        let bytes = try #require(result.bytes, "\(result.diagnostics)")
        let text = Disassembler(try Artifact.decode(bytes)).text()
        let golden = repositoryRoot.appendingPathComponent("golden/forex-platform/compiled.txt")
        if ProcessInfo.processInfo.environment["GATEWAY_UPDATE_GOLDEN"] == "1" {
            try FileManager.default.createDirectory(at: golden.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data(text.utf8).write(to: golden)
        }
        let expected = String(decoding: FileManager.default.contents(atPath: golden.path) ?? Data(), as: UTF8.self)
        #expect(text == expected, "compiled output differs from \(golden.path); if the change is intended, rerun with GATEWAY_UPDATE_GOLDEN=1")
    }
}
