import Foundation
import Testing

@Suite("gateway test")
struct TestCommandTests {
    @Test("the forex golden cases pass with full route coverage")
    func passes() throws {
        let result = try GatewayProcess.run(["test", "--min-coverage", "100"])
        #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
        #expect(result.stdout.contains(" passed, 0 failed"))
        #expect(result.stdout.contains("coverage: routes 100.0% (24/24)"))
    }

    @Test("a failing case exits 1 with its diff; JUnit output names it")
    func failing() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("gw-test-\(UInt32.random(in: 0...UInt32.max))/cases")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder.deletingLastPathComponent()) }
        try Data("cases:\n  wrong:\n    request: { method: GET, path: /healthz }\n    response: { status: 418 }\n".utf8)
            .write(to: folder.appendingPathComponent("c.yaml"))
        let golden = folder.deletingLastPathComponent().path
        let text = try GatewayProcess.run(["test", "--golden", golden])
        #expect(text.status == 1)
        #expect(text.stdout.contains("FAIL wrong"))
        #expect(text.stdout.contains("response.status: expected 418, got 200"))
        let junit = try GatewayProcess.run(["test", "--golden", golden, "--format", "junit"])
        #expect(junit.status == 1)
        #expect(junit.stdout.contains("<testcase classname=") && junit.stdout.contains("name=\"wrong\"") && junit.stdout.contains("<failure message=\"response.status: expected 418, got 200\""))
    }

    @Test("route coverage below --min-coverage fails")
    func coverageGate() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("gw-cov-\(UInt32.random(in: 0...UInt32.max))/cases")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder.deletingLastPathComponent()) }
        try Data("cases:\n  ok:\n    request: { method: GET, path: /healthz }\n    response: { status: 200 }\n".utf8)
            .write(to: folder.appendingPathComponent("c.yaml"))
        let result = try GatewayProcess.run(["test", "--golden", folder.deletingLastPathComponent().path, "--min-coverage", "50", "--coverage"])
        #expect(result.status == 1)
        #expect(result.stderr.contains("is below --min-coverage 50"))
        #expect(result.stdout.contains("route not reached: GET /api/v1/quotes"))
    }
}
