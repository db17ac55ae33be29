import Compiler
import GatewayDSL
import Testing
@testable import Artifact

@Suite("Signing artifacts with Ed25519")
struct SigningTests {
    @Test("a signed artifact verifies with its public key and with nothing else")
    func signAndVerify() throws {
        let keys = try Ed25519.generateKeyPair()
        let other = try Ed25519.generateKeyPair()
        let artifact = try Artifact.decode(forexBytes)
        let signed = try artifact.encoded { try Ed25519.sign($0, privateKeyPEM: keys.privateKeyPEM) }
        #expect(try Artifact.decode(signed, publicKeyPEM: keys.publicKeyPEM).header?.isSigned == true)
        #expect(throws: ArtifactError.badSignature) { try Artifact.decode(signed, publicKeyPEM: other.publicKeyPEM) }
        #expect(throws: ArtifactError.unsigned) { try Artifact.decode(forexBytes, publicKeyPEM: keys.publicKeyPEM) }
        // The signature covers the body: a resealed edit keeps the checksum right but not the signature.
        var edited = signed
        edited[edited.count - 20] ^= 1
        #expect(throws: ArtifactError.badSignature) { try Artifact.decode(resealed(edited), publicKeyPEM: keys.publicKeyPEM) }
    }

    @Test("RFC 8032 test 1: the signature of the empty message")
    func rfc8032() throws {
        // RFC 8032 7.1 TEST 1, as PKCS#8 / SPKI PEM (same key bytes).
        let privatePEM = """
            -----BEGIN PRIVATE KEY-----
            MC4CAQAwBQYDK2VwBCIEIJ1hsZ3v/VpguoRK9JLsLMREScVpezJpGXA7rAMcrn9g
            -----END PRIVATE KEY-----
            """
        let publicPEM = """
            -----BEGIN PUBLIC KEY-----
            MCowBQYDK2VwAyEA11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo=
            -----END PUBLIC KEY-----
            """
        let signature = try Ed25519.sign([], privateKeyPEM: privatePEM)
        let hex = signature.map { String($0, radix: 16).leftPadded(to: 2) }.joined()
        #expect(hex == "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b")
        #expect(try Ed25519.verify(signature: signature, message: [], publicKeyPEM: publicPEM))
    }

    @Test("the compiler signs when given a key, and refuses a key that is not Ed25519")
    func compilerSigning() throws {
        let keys = try Ed25519.generateKeyPair()
        let spec = try #require(try SpecLoader().load(paths: [repositoryRoot.appendingPathComponent("specs").path]).spec)
        let signed = Compiler(options: .init(signingKeyPEM: keys.privateKeyPEM)).compile(spec)
        #expect(try Artifact.decode(try #require(signed.bytes), publicKeyPEM: keys.publicKeyPEM).header?.isSigned == true)
        let refused = Compiler(options: .init(signingKeyPEM: "-----BEGIN PRIVATE KEY-----\nnot a key\n-----END PRIVATE KEY-----\n")).compile(spec)
        #expect(refused.diagnostics.map(\.code) == [.signingFailed])
        #expect(refused.bytes == nil)
    }
}
