import Artifact
import Compiler
import Foundation
import GatewayDSL
import Harness
import Testing
@testable import Runtime

/// `swift test` runs every golden case through the engine, and checks that the
/// harness really fails when an expectation is wrong.
@Suite("Golden cases")
struct GoldenSuiteTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    static let artifact: Artifact? = {
        let files = (try? SpecLoader.discover([root.appendingPathComponent("specs").path])) ?? []
        let sources = files.map { (String($0.dropFirst(root.path.count + 1)), [UInt8](FileManager.default.contents(atPath: $0) ?? Data())) }
        return SpecLoader().load(sources: sources).spec.flatMap { Compiler().compile($0).artifact }
    }()

    static func cases(_ text: String? = nil) throws -> [GoldenCase] {
        if let text {
            var reader = GoldenFileReader()
            let cases = reader.read(Array(text.utf8), file: "case.yaml")
            #expect(reader.bag.diagnostics.isEmpty, "\(reader.bag.diagnostics.map(\.message))")
            return cases
        }
        var suite = GoldenSuite()
        let cases = try suite.cases(in: root.appendingPathComponent("golden").path)
        #expect(suite.diagnostics.isEmpty, "\(suite.diagnostics.map { "\($0.location): \($0.message)" })")
        return cases
    }

    @Test("every golden case passes, and every route is reached")
    func allCases() throws {
        let artifact = try #require(Self.artifact)
        let cases = try Self.cases()
        #expect(cases.count >= 100)
        let credentials = try GoldenSuite().credentials(for: artifact, in: Self.root.appendingPathComponent("golden").path)
        #expect(credentials != nil, "golden/forex-platform/secrets.yaml gives the identity cases real keys")
        let (results, coverage) = GoldenRunner(artifact: artifact, credentials: credentials).run(cases)
        for result in results where !result.passed {
            Issue.record("\(result.name) (\(result.file):\(result.line)):\n  \(result.failures.joined(separator: "\n  "))")
        }
        #expect(coverage.routesReached.count == artifact.routes.count)
    }

    @Test("a wrong expectation fails with a readable diff")
    func wrongExpectation() throws {
        let artifact = try #require(Self.artifact)
        let cases = try Self.cases("""
            cases:
              healthz-mutated:
                request: { method: GET, path: /healthz, headers: { host: api.forex.example } }
                response:
                  status: 201
                  headers: { cache-control: max-age=60 }
                  absent: [x-request-id]
                  json: { status: broken }
            """)
        let (results, _) = GoldenRunner(artifact: artifact).run(cases)
        let failures = try #require(results.first).failures
        #expect(failures == [
            "response.status: expected 201, got 200",
            "response.headers.cache-control: expected \"max-age=60\", got \"no-store\"",
            "response.headers.x-request-id: expected absent, got \"req-1\"",
            "response.json: expected {\"status\":\"broken\"}\n      got           {\"status\":\"ok\"}",
        ])
    }

    @Test("--update rewrites failing expectations so the case passes, keeping <any> matchers")
    func update() throws {
        let artifact = try #require(Self.artifact)
        let text = """
            cases:
              healthz-stale:
                request: { method: GET, path: /healthz, headers: { host: api.forex.example } }
                response: { status: 201, headers: { cache-control: max-age=60, x-request-id: <any> }, json: { status: old } }
            """
        let cases = try Self.cases(text)
        let runner = GoldenRunner(artifact: artifact)
        let (results, _) = runner.run(cases)
        #expect(!results[0].passed)
        var written: [String: String] = [:]
        let files = runner.update(cases, results) { file, text in written[file] = text }
        #expect(files == ["case.yaml"])
        let rewritten = try #require(written["case.yaml"])
        #expect(rewritten.contains("x-request-id: \"<any>\""))
        #expect(rewritten.contains("cache-control: \"no-store\""))
        let again = try Self.cases(rewritten)
        #expect(runner.run(again).results.allSatisfy { $0.passed })
    }

    @Test("a golden file's mistakes are reported at their line and column")
    func fileErrors() {
        var reader = GoldenFileReader()
        _ = reader.read(Array("cases:\n  c:\n    request: { method: GET, path: /x }\n    respnse: { status: 200 }\n".utf8), file: "bad.yaml")
        let messages = reader.bag.sorted.map { "\($0.location.line):\($0.location.column) \($0.code.rawValue) \($0.hint ?? "")" }
        #expect(messages.contains("4:5 GW2001 did you mean `response`?"))
        #expect(messages.contains { $0.hasPrefix("2:3 GW2004") })
    }

    @Test("an unexpected upstream call, and a missing one, are failures")
    func upstreamExpectations() throws {
        let artifact = try #require(Self.artifact)
        let cases = try Self.cases("""
            cases:
              expected-none:
                principal: { id: u, roles: [viewer] }
                request: { method: GET, path: /api/v1/quotes, headers: { host: api.forex.example } }
                response: { status: 200 }
              expected-call:
                request: { method: GET, path: /healthz, headers: { host: api.forex.example } }
                upstream: { service: pricing }
                response: { status: 200 }
            """)
        let (results, _) = GoldenRunner(artifact: artifact).run(cases)
        #expect(results[0].failures.first?.hasPrefix("upstream: expected none, but the gateway called pricing GET /quotes") == true)
        #expect(results[1].failures.first == "upstream: expected a call, but the gateway answered 200 itself")
    }
}
