import Foundation
import Testing

/// `gateway openapi`: the specs' API as OpenAPI 3.1 that a standard validator
/// accepts, and docs/api-reference.md kept in step with it.
@Suite("gateway openapi")
struct OpenAPICommandTests {
    static var validatorInstalled: Bool {
        (try? Process.run(URL(fileURLWithPath: "/usr/bin/env"), arguments: ["python3", "-c", "import openapi_spec_validator"]))
            .map { process in process.waitUntilExit(); return process.terminationStatus == 0 } ?? false
    }

    @Test("the forex specs' document passes openapi-spec-validator",
          .enabled(if: validatorInstalled, "openapi-spec-validator is not installed (.ci/run installs it with pip)"))
    func validates() throws {
        let folder = try CompileCommandTests.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent("openapi.json").path
        let result = try GatewayProcess.run(["openapi", "specs", "-o", file])
        #expect(result.status == 0, "\(result.stderr)")
        let validator = Process()
        validator.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        validator.arguments = ["python3", "-m", "openapi_spec_validator", file]
        let pipe = Pipe()
        validator.standardOutput = pipe
        validator.standardError = pipe
        try validator.run()
        let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        validator.waitUntilExit()
        #expect(validator.terminationStatus == 0, "\(output)")
        #expect(output.contains("OK"))
    }

    @Test("operations carry constraints, security, roles, limits and problem responses")
    func content() throws {
        let result = try GatewayProcess.run(["openapi", "specs"])
        #expect(result.status == 0, "\(result.stderr)")
        let document = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        #expect(document["openapi"] as? String == "3.1.0")
        let paths = try #require(document["paths"] as? [String: [String: [String: Any]]])
        // A constrained parameter keeps its constraint as a schema.
        let order = try #require(paths["/api/v1/orders/{id}"]?["get"])
        let parameter = try #require((order["parameters"] as? [[String: Any]])?.first)
        #expect((parameter["schema"] as? [String: Any])?["format"] as? String == "uuid")
        // Who may call, with what, how often; and what the gateway itself may answer.
        let placeOrder = try #require(paths["/api/v1/orders/eu"]?["post"])
        #expect(placeOrder["security"] as? [[String: [String]]] == [["forex-sso": []]])
        let access = try #require(placeOrder["x-gateway-access"] as? [String: Any])
        #expect(access["permissions"] as? [String] == ["orders:write"])
        #expect((access["roles-allowed"] as? [String])?.contains("trader") == true)
        let limits = try #require(placeOrder["x-gateway-rate-limits"] as? [[String: Any]])
        #expect(limits.first?["rate"] as? String == "5/s" && limits.first?["on-store-failure"] as? String == "closed")
        let responses = try #require(placeOrder["responses"] as? [String: Any])
        for status in ["401", "403", "415", "429", "502", "503", "504"] { #expect(responses[status] != nil, "\(status)") }
        #expect((placeOrder["requestBody"] as? [String: Any])?["content"] as? [String: Any] != nil)
        // Public routes ask for nothing.
        let health = try #require(paths["/healthz"]?["get"])
        #expect((health["security"] as? [Any])?.isEmpty == true && (health["responses"] as? [String: Any])?["401"] == nil)
        let schemes = try #require((document["components"] as? [String: Any])?["securitySchemes"] as? [String: [String: Any]])
        #expect(schemes["forex-sso"]?["scheme"] as? String == "bearer" && schemes["api-key"]?["in"] as? String == "header")
        let problems = try #require((document["components"] as? [String: Any])?["responses"] as? [String: [String: Any]])
        #expect(problems["TooManyRequests"]?["headers"].map { ($0 as? [String: Any])?["Retry-After"] != nil } == true)
    }

    @Test("docs/api-reference.md is what `gateway openapi --format markdown` prints now")
    func referenceUpToDate() throws {
        let result = try GatewayProcess.run(["openapi", "specs", "--format", "markdown"])
        #expect(result.status == 0, "\(result.stderr)")
        let path = GatewayProcess.root.appendingPathComponent("docs/api-reference.md")
        if ProcessInfo.processInfo.environment["GATEWAY_UPDATE_GOLDEN"] == "1" { try Data(result.stdout.utf8).write(to: path) }
        let current = String(decoding: FileManager.default.contents(atPath: path.path) ?? Data(), as: UTF8.self)
        #expect(current == result.stdout, "docs/api-reference.md is out of date: run GATEWAY_UPDATE_GOLDEN=1 swift test --filter OpenAPI")
        #expect(current.contains("### `POST /api/v1/orders/eu`") && current.contains("refused while the shared store is down"))
    }

    @Test("spec errors print file:line:col and exit 1 with nothing on standard output")
    func errors() throws {
        let folder = try CompileCommandTests.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let spec = folder.appendingPathComponent("bad.yaml")
        try Data("gateway: t\nroutes:\n  GET /a:\n    respond: { status: 204 }\n".utf8).write(to: spec)
        let result = try GatewayProcess.run(["openapi", spec.path])
        #expect(result.status == 1)
        #expect(result.stdout.isEmpty && result.stderr.contains("bad.yaml:3:3"))
    }
}
