import Foundation
import Runtime
import Testing

/// `gateway keys` end to end: what it writes is what the runtime's key store accepts.
@Suite("gateway keys")
struct KeysCommandTests {
    static let pepper = "test-pepper-0123456789"

    func keys(_ arguments: [String], store: String) throws -> GatewayProcess.Output {
        try GatewayProcess.run(["keys"] + arguments + ["--store", store, "--pepper", "env:KEYS_TEST_PEPPER"], environment: ["KEYS_TEST_PEPPER": Self.pepper])
    }

    func authenticate(_ key: String, store: String, at now: Int64 = SystemClock().nowMilliseconds()) throws -> Result<Principal, AuthenticationFailure> {
        try APIKeyStore(path: store, pepper: Array(Self.pepper.utf8)).authenticate(key, now: now)
    }

    @Test("create prints a key once, stores only its hash, and the runtime accepts it")
    func create() throws {
        let folder = try CompileCommandTests.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let store = folder.appendingPathComponent("keys.json").path
        let created = try keys(["create", "--owner", "risk-engine-prod", "--roles", "risk-engine", "--plan", "internal", "--expires", "90d"], store: store)
        #expect(created.status == 0, "\(created.stderr)")
        let key = created.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(key.hasPrefix("gwk_"))
        let text = try String(contentsOfFile: store, encoding: .utf8)
        #expect(!text.contains(key) && !text.contains(String(key.suffix(20))))
        let attributes = try FileManager.default.attributesOfItem(atPath: store)
        #expect((attributes[.posixPermissions] as? Int) == 0o600)
        let principal = try authenticate(key, store: store).get()
        #expect(principal.id == "risk-engine-prod" && principal.roles == ["risk-engine"] && principal.plan == "internal" && principal.method == .apiKey)
        #expect(try authenticate(key, store: store, at: SystemClock().nowMilliseconds() + 91 * 86_400_000) == .failure(.expiredAPIKey))
        #expect(try authenticate(String(key.dropLast()) + (key.hasSuffix("A") ? "B" : "A"), store: store) == .failure(.unknownAPIKey))
        let list = try keys(["list"], store: store)
        #expect(list.stdout.contains("risk-engine-prod") && list.stdout.contains("active") && !list.stdout.contains("hmac-sha256"))
    }

    @Test("revoke stops a key; rotate issues a new one and retires the old")
    func revokeAndRotate() throws {
        let folder = try CompileCommandTests.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let store = folder.appendingPathComponent("keys.json").path
        let first = try keys(["create", "--owner", "reporting", "--roles", "reporting"], store: store).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        let second = try keys(["create", "--owner", "mm", "--roles", "market-maker"], store: store).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        let firstID = String(first.dropFirst(4).prefix(16)), secondID = String(second.dropFirst(4).prefix(16))
        #expect(try keys(["revoke", firstID], store: store).status == 0)
        #expect(try authenticate(first, store: store) == .failure(.revokedAPIKey))
        let rotated = try keys(["rotate", secondID, "--grace", "1h"], store: store)
        #expect(rotated.status == 0, "\(rotated.stderr)")
        let replacement = rotated.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(try authenticate(replacement, store: store).get().id == "mm")
        #expect(try authenticate(second, store: store).get().id == "mm")
        #expect(try authenticate(second, store: store, at: SystemClock().nowMilliseconds() + 3_700_000) == .failure(.expiredAPIKey))
    }

    @Test("roles and plans must exist in the specs; a missing pepper is a usage error")
    func refusals() throws {
        let folder = try CompileCommandTests.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let store = folder.appendingPathComponent("keys.json").path
        let role = try keys(["create", "--owner", "x", "--roles", "astronaut"], store: store)
        #expect(role.status == 2 && role.stderr.contains("unknown role astronaut"))
        let plan = try keys(["create", "--owner", "x", "--roles", "reporting", "--plan", "gold"], store: store)
        #expect(plan.status == 2 && plan.stderr.contains("unknown plan gold"))
        let pepper = try GatewayProcess.run(["keys", "create", "--owner", "x", "--roles", "reporting", "--store", store, "--pepper", "env:KEYS_TEST_UNSET"])
        #expect(pepper.status == 2 && pepper.stderr.contains("KEYS_TEST_UNSET is not set"))
        #expect(!FileManager.default.fileExists(atPath: store))
    }
}
