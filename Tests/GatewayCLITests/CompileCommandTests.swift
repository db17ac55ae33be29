import Foundation
import Testing

@Suite("gateway compile, inspect, explain and diff")
struct CompileCommandTests {
    static func temporaryFolder() throws -> URL {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("gw-cli-\(UInt32.random(in: 0...UInt32.max))")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        return folder
    }

    @Test("compile writes the artifact and prints its size, hash and counts")
    func compile() throws {
        let folder = try Self.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let output = folder.appendingPathComponent("out/gateway.gwc").path
        let result = try GatewayProcess.run(["compile", "specs", "-o", output])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("wrote \(output): "))
        #expect(result.stdout.contains("24 routes"))
        #expect(FileManager.default.fileExists(atPath: output))
    }

    @Test("two separate compiler processes produce identical bytes")
    func determinismAcrossProcesses() throws {
        let folder = try Self.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let a = folder.appendingPathComponent("a.gwc").path
        let b = folder.appendingPathComponent("b.gwc").path
        #expect(try GatewayProcess.run(["compile", "specs", "-o", a]).status == 0)
        #expect(try GatewayProcess.run(["compile", "specs/routes", "specs/auth.yaml", "specs/gateway.yaml", "specs/policies.yaml", "specs/services.yaml", "-o", b]).status == 0)
        #expect(FileManager.default.contents(atPath: a) == FileManager.default.contents(atPath: b))
    }

    @Test("spec errors stop compilation with status 1 and nothing written")
    func errors() throws {
        let folder = try Self.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let spec = folder.appendingPathComponent("bad.yaml")
        try Data("gateway: t\nroutes:\n  GET /a/{x}:\n    public: true\n    respond: { status: 204 }\n  GET /a/{y}:\n    public: true\n    respond: { status: 204 }\n".utf8).write(to: spec)
        let output = folder.appendingPathComponent("bad.gwc").path
        let result = try GatewayProcess.run(["compile", spec.path, "-o", output])
        #expect(result.status == 1)
        #expect(result.stderr.contains("error[GW4003]"))
        #expect(!FileManager.default.fileExists(atPath: output))
    }

    @Test("a signing key given inline is refused as a usage error")
    func inlineKey() throws {
        let result = try GatewayProcess.run(["compile", "specs", "-o", "/dev/null", "--sign-key", "MC4CAQAwBQYDK2VwBCIEIJ1hsZ3v"])
        #expect(result.status == 2)
        #expect(result.stderr.contains("env:NAME or file:PATH"))
    }

    @Test("inspect prints what golden/forex-platform/compiled.txt holds")
    func inspect() throws {
        let folder = try Self.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let output = folder.appendingPathComponent("g.gwc").path
        #expect(try GatewayProcess.run(["compile", "specs", "-o", output]).status == 0)
        let result = try GatewayProcess.run(["inspect", output])
        #expect(result.status == 0)
        let golden = String(decoding: FileManager.default.contents(atPath: GatewayProcess.root.appendingPathComponent("golden/forex-platform/compiled.txt").path) ?? Data(), as: UTF8.self)
        #expect(result.stdout == golden)
    }

    @Test("inspect refuses a corrupted file with one clear line")
    func corrupted() throws {
        let folder = try Self.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let output = folder.appendingPathComponent("c.gwc").path
        #expect(try GatewayProcess.run(["compile", "specs", "-o", output]).status == 0)
        var bytes = [UInt8](FileManager.default.contents(atPath: output) ?? Data())
        bytes[bytes.count - 1] ^= 0xFF
        try Data(bytes).write(to: URL(fileURLWithPath: output))
        let result = try GatewayProcess.run(["inspect", output])
        #expect(result.status == 1)
        #expect(result.stderr == "error: \(output): artifact checksum does not match its body (corrupted or edited)\n")
    }

    @Test("explain traces the lookup and lists the program with spec lines")
    func explain() throws {
        let result = try GatewayProcess.run(["explain", "specs", "GET", "/api/v1/quotes/EURUSD"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("constrained {:[A-Z]{6}}: match"))
        #expect(result.stdout.contains("result: route 11 `GET /api/v1/quotes/{pair:[A-Z]{6}}`"))
        #expect(result.stdout.contains("pair = EURUSD"))
        #expect(result.stdout.contains("PROXY                pricing, 1000ms"))
        let wrongMethod = try GatewayProcess.run(["explain", "specs", "DELETE", "/api/v1/quotes/EURUSD"])
        #expect(wrongMethod.stdout.contains("result: 405 Method Not Allowed; Allow: GET, HEAD, POST"))
        let host = try GatewayProcess.run(["explain", "specs", "GET", "/admin/users", "-H", "Host: admin.forex.example"])
        #expect(host.stdout.contains("route 4 `GET /admin/users`"))
    }

    @Test("diff names added, removed and changed routes in words")
    func diff() throws {
        let folder = try Self.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let specs = folder.appendingPathComponent("specs")
        try FileManager.default.copyItem(at: GatewayProcess.root.appendingPathComponent("specs"), to: specs)
        let old = folder.appendingPathComponent("old.gwc").path
        let new = folder.appendingPathComponent("new.gwc").path
        #expect(try GatewayProcess.run(["compile", specs.path, "-o", old]).status == 0)
        #expect(try GatewayProcess.run(["diff", old, old]).stdout == "no changes in behaviour\n")
        let trading = specs.appendingPathComponent("routes/trading.yaml")
        var text = String(decoding: FileManager.default.contents(atPath: trading.path) ?? Data(), as: UTF8.self)
        text = text.replacingOccurrences(of: "limit: 5/s per principal\n    accepts: [application/json]\n    body-limit: 16KiB", with: "limit: 10/s per principal\n    accepts: [application/json]\n    body-limit: 16KiB")
        text = text.replacingOccurrences(of: "  GET /api/v1/positions/all:", with: "  GET /api/v1/positions/everything:")
        try Data(text.utf8).write(to: trading)
        #expect(try GatewayProcess.run(["compile", specs.path, "-o", new]).status == 0)
        let result = try GatewayProcess.run(["diff", old, new])
        #expect(result.status == 1)
        #expect(result.stdout.contains("routes added:\n  + GET /api/v1/positions/everything"))
        #expect(result.stdout.contains("routes removed:\n  - GET /api/v1/positions/all"))
        #expect(result.stdout.contains("~ POST /api/v1/orders\n      - RATE_LIMIT 5/1000ms burst 5 per principal\n      + RATE_LIMIT 10/1000ms burst 10 per principal"))
    }
}
