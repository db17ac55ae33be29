import Foundation
import Testing
@testable import Runtime

/// The API key store: peppered hashes, status and expiry, and reloading without a restart.
@Suite("API key store")
struct APIKeyStoreTests {
    static let pepper = Array("pepper-for-tests-only".utf8)

    static func record(_ id: String, _ key: String, status: APIKeyRecord.Status = .active, expires: Int64? = nil) -> APIKeyRecord {
        APIKeyRecord(id: id, hash: APIKey.hash(key, pepper: pepper), owner: "svc-\(id.prefix(4))", roles: ["reporting"], plan: "internal",
                     status: status, created: 0, expires: expires)
    }

    @Test("Generated keys have the documented shape and a public id")
    func shape() throws {
        let (id, key) = try APIKey.generate()
        #expect(key.hasPrefix("gwk_\(id)_") && key.utf8.count == 4 + 16 + 1 + 43)
        #expect(APIKey.id(of: Array(key.utf8)) == id)
        #expect(APIKey.number(of: Array(key.utf8)) == UInt64(id, radix: 16))
        #expect(APIKey.number(of: Array("gwk_00000000000000ff_secret".utf8)) == 255)
        for bad in ["", "gwk_", "gwk_0123_x", "gwk_0123456789ABCDEF_x", "xyz_0123456789abcdef_secret", "gwk_0123456789abcdef_"] {
            #expect(APIKey.id(of: Array(bad.utf8)) == nil, "\(bad)")
            #expect(APIKey.number(of: Array(bad.utf8)) == nil, "\(bad)")
        }
    }

    @Test("A key is accepted only with its exact secret, while active and unexpired")
    func lookups() throws {
        let (activeID, active) = try APIKey.generate()
        let (revokedID, revoked) = try APIKey.generate()
        let (expiredID, expired) = try APIKey.generate()
        let store = APIKeyStore(records: [Self.record(activeID, active), Self.record(revokedID, revoked, status: .revoked),
                                          Self.record(expiredID, expired, expires: 5_000)], pepper: Self.pepper)
        let principal = try store.authenticate(active, now: 1_000).get()
        #expect(principal.id == "svc-\(activeID.prefix(4))" && principal.keyID == activeID && principal.plan == "internal")
        #expect(store.authenticate(String(active.dropLast()) + (active.last == "A" ? "B" : "A"), now: 1_000) == .failure(.unknownAPIKey))
        #expect(store.authenticate(revoked, now: 1_000) == .failure(.revokedAPIKey))
        #expect(store.authenticate(expired, now: 4_999).map(\.keyID) == .success(expiredID))
        #expect(store.authenticate(expired, now: 5_000) == .failure(.expiredAPIKey))
        // Another pepper means another hash: a copied store is useless without it.
        let other = APIKeyStore(records: [Self.record(activeID, active)], pepper: Array("a-different-pepper-value".utf8))
        #expect(other.authenticate(active, now: 1_000) == .failure(.unknownAPIKey))
    }

    @Test("The store file reloads when it changes; a broken file keeps the previous keys")
    func reload() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("keys-\(UInt32.random(in: 0...UInt32.max)).json").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        let (id, key) = try APIKey.generate()
        try Data(APIKeyStoreFile.encode([Self.record(id, key)])).write(to: URL(fileURLWithPath: path))
        let store = try APIKeyStore(path: path, pepper: Self.pepper)
        #expect(store.authenticate(key, now: 10_000).map(\.keyID) == .success(id))
        try Data(APIKeyStoreFile.encode([Self.record(id, key, status: .revoked), Self.record("0000000000000000", "gwk_0000000000000000_x")]))
            .write(to: URL(fileURLWithPath: path))
        #expect(store.authenticate(key, now: 11_000) == .failure(.revokedAPIKey))
        #expect(store.count == 2)
        try Data("{\"keys\": [".utf8).write(to: URL(fileURLWithPath: path))
        #expect(store.authenticate(key, now: 12_500) == .failure(.revokedAPIKey))
        #expect(store.lastError?.contains("not JSON") == true)
        #expect(store.count == 2)
    }

    @Test("The store file round-trips, and malformed entries are named")
    func fileFormat() throws {
        let records = [Self.record("0123456789abcdef", "k1", expires: 1_767_614_400_000), Self.record("fedcba9876543210", "k2", status: .revoked)]
        #expect(try APIKeyStoreFile.decode(APIKeyStoreFile.encode(records)) == records)
        #expect(throws: KeyError("key 0: needs id, hash, owner, status (active or revoked) and created")) {
            try APIKeyStoreFile.decode(Array(#"{"keys":[{"id":"x"}]}"#.utf8))
        }
        #expect(throws: KeyError("key x: hash must be hmac-sha256:<64 hex digits>")) {
            try APIKeyStoreFile.decode(Array(#"{"keys":[{"id":"x","hash":"plain","owner":"o","status":"active","created":"2026-01-01T00:00:00Z"}]}"#.utf8))
        }
    }
}

/// Boot refuses a half-configured gateway with one line naming what is missing.
@Suite("Loading credentials at boot")
struct CredentialLoadingTests {
    @Test("A missing key set or pepper names the issuer or store and the reference")
    func missingSecrets() throws {
        let artifact = try #require(GoldenSuiteTests.artifact)
        #expect(throws: KeyError("JWT issuer forex-sso: file:keys/sso-jwks.json: cannot read /nonexistent/keys/sso-jwks.json")) {
            try CredentialAuthenticator.load(artifact, secrets: SecretResolver(baseDirectory: "/nonexistent"))
        }
        let golden = GoldenSuiteTests.root.appendingPathComponent("golden/forex-platform").path
        let withoutPepper = SecretResolver(overrides: ["file:keys/sso-jwks.json": "file:keys/sso-jwks.json", "file:keys/api-keys.json": "file:keys/api-keys.json",
                                                       "env:FOREX_API_KEY_PEPPER": "env:GATEWAY_TEST_UNSET_PEPPER"], overrideDirectory: golden)
        #expect(throws: KeyError("API keys: env:FOREX_API_KEY_PEPPER: the environment variable GATEWAY_TEST_UNSET_PEPPER is not set")) {
            try CredentialAuthenticator.load(artifact, secrets: withoutPepper)
        }
    }
}
