import Testing
@testable import Runtime

/// HMAC as RFC 4231 gives it, for each digest the gateway keys (SHA-256 through its
/// own keyed states; SHA-384 and SHA-512 through OpenSSL's EVP_MAC).
@Suite("Keyed MACs")
struct KeyedMACTests {
    func hex(_ bytes: some Sequence<UInt8>) -> String { bytes.map { String($0, radix: 16).count == 1 ? "0" + String($0, radix: 16) : String($0, radix: 16) }.joined() }

    func mac(_ digest: String, key: [UInt8], _ message: [UInt8]) throws -> String {
        let keyed = try #require(KeyedMAC(digest: digest, key: key))
        var out = [UInt8](repeating: 0, count: keyed.outputBytes)
        let ok = message.withUnsafeBytes { m in out.withUnsafeMutableBytes { keyed.mac(m, into: $0) } }
        #expect(ok)
        return hex(out)
    }

    @Test("RFC 4231 test case 2: a short key")
    func shortKey() throws {
        let key = Array("Jefe".utf8), message = Array("what do ya want for nothing?".utf8)
        #expect(try mac("SHA256", key: key, message) == "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843")
        #expect(try mac("SHA512", key: key, message)
                == "164b7a7bfcf819e2e395fbe73b56e0a387bd64222e831fd610270cd7ea2505549758bf75c05a994a6d034f65f8f0e6fdcaeab1a34d4a6b4b636e070a38bce737")
    }

    @Test("RFC 4231 test case 6: a key longer than the block is hashed first")
    func longKey() throws {
        let key = [UInt8](repeating: 0xaa, count: 131), message = Array("Test Using Larger Than Block-Size Key - Hash Key First".utf8)
        #expect(try mac("SHA256", key: key, message) == "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54")
        #expect(try mac("SHA384", key: key, message) == "4ece084485813e9088d2c63a041bc5b44f9ef1012a2b588f3cd11f05033ac4c60c2ef6ab4030fe8296248df163f44952")
    }

    @Test("verify compares in constant time and refuses a wrong length")
    func verify() throws {
        let keyed = try #require(KeyedMAC(digest: "SHA256", key: Array("k".utf8)))
        var good = [UInt8](repeating: 0, count: 32)
        let message = Array("m".utf8)
        _ = message.withUnsafeBytes { m in good.withUnsafeMutableBytes { keyed.mac(m, into: $0) } }
        #expect(message.withUnsafeBytes { m in good.withUnsafeBytes { keyed.verify(m, equals: $0) } })
        var bad = good
        bad[31] ^= 1
        #expect(!message.withUnsafeBytes { m in bad.withUnsafeBytes { keyed.verify(m, equals: $0) } })
        #expect(!message.withUnsafeBytes { m in Array(good.prefix(31)).withUnsafeBytes { keyed.verify(m, equals: $0) } })
    }
}
