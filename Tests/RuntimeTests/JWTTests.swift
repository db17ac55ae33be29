import Artifact
import Foundation
import Testing
@testable import Runtime

/// JWT verification: the RFCs' own example tokens, every supported algorithm, and the
/// attacks the gateway must refuse (design.md, "Security invariants").
@Suite("JWT verification")
struct JWTTests {
    static let keys = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/keys")
    static func pem(_ name: String) -> String { (try? String(contentsOf: keys.appendingPathComponent(name), encoding: .utf8)) ?? "" }

    /// RFC 7515 A.1 / RFC 7519 3.1: the HS256 example, `{"iss":"joe","exp":1300819380,...}`.
    static let rfcHS256Key = #"{"kty":"oct","k":"AyM1SysPpbyDfgZld3umj1qzKObwVMkoqQ-EstJQLr_T-1qS0gZH75aKtMN3Yj0iPS4hcgUuTwjAzZr1Z9CAow"}"#
    static let rfcHS256Token = "eyJ0eXAiOiJKV1QiLA0KICJhbGciOiJIUzI1NiJ9.eyJpc3MiOiJqb2UiLA0KICJleHAiOjEzMDA4MTkzODAsDQogImh0dHA6Ly9leGFtcGxlLmNvbS9pc19yb290Ijp0cnVlfQ.dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"
    /// RFC 7515 A.2 (key from RFC 7517 A.1).
    static let rfcRS256Key = #"{"kty":"RSA","n":"ofgWCuLjybRlzo0tZWJjNiuSfb4p4fAkd_wWJcyQoTbji9k0l8W26mPddxHmfHQp-Vaw-4qPCJrcS2mJPMEzP1Pt0Bm4d4QlL-yRT-SFd2lZS-pCgNMsD1W_YpRPEwOWvG6b32690r2jZ47soMZo9wGzjb_7OMg0LOL-bSf63kpaSHSXndS5z5rexMdbBYUsLA9e-KXBdQOS-UTo7WTBEMa2R2CapHg665xsmtdVMTBQY4uDZlxvb3qCo5ZwKh9kG4LT6_I5IhlJH7aGhyxXFvUK-DWNmoudF8NAco9_h9iaGNj8q2ethFkMLs91kzk2PAcDTW9gb54h4FRWyuXpoQ","e":"AQAB"}"#
    static let rfcRS256Token = "eyJhbGciOiJSUzI1NiJ9.eyJpc3MiOiJqb2UiLA0KICJleHAiOjEzMDA4MTkzODAsDQogImh0dHA6Ly9leGFtcGxlLmNvbS9pc19yb290Ijp0cnVlfQ.cC4hiUPoj9Eetdgtv3hF80EGrhuB__dzERat0XF9g2VtQgr9PJbu3XOiZj5RZmh7AAuHIm4Bh-0Qc_lF5YKt_O8W2Fp5jujGbds9uJdbF9CUAr7t1dnZcAcQjbKBYNX4BAynRFdiuB--f_nZLgrnbyTyWzO75vRK5h6xBArLIARNPvkSjtQBMHlb1L07Qe7K0GarZRmB_eSN9383LcOLn6_dO--xi12jzDwusC-eOkHWEsqtFZESc6BfI7noOPqvhJ1phCnvWh6IeYI2w9QOYEUipUTI8np6LbgGY9Fs98rqVt5AXLIhWkWywlVmtVrBp0igcN_IoypGlUPQGe77Rw"
    /// RFC 7515 A.3.
    static let rfcES256Key = #"{"kty":"EC","crv":"P-256","x":"f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU","y":"x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0"}"#
    static let rfcES256Token = "eyJhbGciOiJFUzI1NiJ9.eyJpc3MiOiJqb2UiLA0KICJleHAiOjEzMDA4MTkzODAsDQogImh0dHA6Ly9leGFtcGxlLmNvbS9pc19yb290Ijp0cnVlfQ.DtEhU3ljbEg8L38VWAfUAqOyKAM6-Xx-F4GawxaepmXFCgfTjDxw5djxLa8ISlSApmWQxfKTUJqPP3-Kg6NU1Q"
    /// RFC 8037 A.2 and A.4: Ed25519 over the text "Example of Ed25519 signing".
    static let rfcEdDSAKey = #"{"kty":"OKP","crv":"Ed25519","x":"11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo"}"#
    static let rfcEdDSAToken = "eyJhbGciOiJFZERTQSJ9.RXhhbXBsZSBvZiBFZDI1NTE5IHNpZ25pbmc.hgyY0il_MGCjP0JzlnLWG1PPOt7-09PGcvMg3AIbQR6dWbhijcNR4ki4iylGjg5BhVsPt9g7sVvpAr_MuM0KAg"

    /// 2011-03-22T18:00:00Z, just before the RFC tokens' expiry (1300819380).
    static let rfcTime: Int64 = 1_300_816_800_000

    static func issuer(_ algorithms: [String], issuer: String = "joe", audiences: [String] = [], keyKind: AuthSettings.Issuer.KeyKind = .jwks,
                       subject: String = "iss", leeway: UInt32 = 0, maxBytes: UInt32 = 8_192) -> AuthSettings.Issuer {
        AuthSettings.Issuer(name: "test", issuer: issuer, audiences: audiences, algorithms: algorithms, keyKind: keyKind, keyReference: "file:none",
                            leewayMilliseconds: leeway, subjectClaim: subject, rolesClaim: "roles", scopesClaim: "scope", cookie: nil, maxTokenBytes: maxBytes)
    }

    static func verifier(_ jwk: String, _ algorithms: [String], subject: String = "iss") throws -> JWTIssuerVerifier {
        try JWTIssuerVerifier(index: 0, settings: issuer(algorithms, subject: subject), keys: JSONWebKeySet.keys(from: Array(jwk.utf8)))
    }

    static func verify(_ token: String, _ verifier: JWTIssuerVerifier, now: Int64) -> Result<Principal, AuthenticationFailure> {
        switch JSONWebToken.decode(Array(token.utf8)) {
        case .success(let decoded): verifier.verify(decoded, now: now)
        case .failure(let failure): .failure(failure)
        }
    }

    @Test("The RFC example tokens verify with the RFC keys, and expire when the RFCs say", arguments: [
        (rfcHS256Key, rfcHS256Token, "HS256"), (rfcRS256Key, rfcRS256Token, "RS256"), (rfcES256Key, rfcES256Token, "ES256"),
    ])
    func rfcExamples(key: String, token: String, algorithm: String) throws {
        let verifier = try Self.verifier(key, [algorithm])
        let principal = try Self.verify(token, verifier, now: Self.rfcTime).get()
        #expect(principal.id == "joe")
        #expect(principal.claims["http://example.com/is_root"] == "true")
        #expect(Self.verify(token, verifier, now: 1_300_819_380_000) == .failure(.expired))
    }

    @Test("RFC 8037's Ed25519 example verifies, and not after one changed byte")
    func rfcEdDSA() throws {
        let key = try #require(try JSONWebKeySet.keys(from: Array(Self.rfcEdDSAKey.utf8)).first)
        let parts = Self.rfcEdDSAToken.split(separator: ".")
        let input = Array((parts[0] + "." + parts[1]).utf8)
        var signature = try #require(Base64URL.decode(String(parts[2])))
        #expect(input.withUnsafeBytes { key.verify(.edDSA, input: $0, signature: signature) })
        signature[10] ^= 1
        #expect(!input.withUnsafeBytes { key.verify(.edDSA, input: $0, signature: signature) })
    }

    @Test("Every algorithm signs and verifies; a changed signature or payload does not", arguments: [
        (JWSAlgorithm.rs256, "rsa"), (.rs384, "rsa"), (.rs512, "rsa"), (.ps256, "rsa"), (.es256, "p256"), (.es384, "p384"), (.edDSA, "ed25519"),
    ])
    func roundTrip(algorithm: JWSAlgorithm, key name: String) throws {
        let signer = try SigningKey.pem(Self.pem("\(name).pem"))
        let key = try VerificationKey.pem(Self.pem("\(name).pub.pem"))
        let verifier = try JWTIssuerVerifier(index: 0, settings: Self.issuer([algorithm.rawValue], issuer: "https://sso.test", subject: "sub"), keys: [key])
        let token = try signer.token(algorithm, claims: #"{"iss":"https://sso.test","sub":"u-1","exp":2000000000,"roles":["trader"]}"#)
        let principal = try Self.verify(token, verifier, now: 1_800_000_000_000).get()
        #expect(principal.id == "u-1" && principal.roles == ["trader"])
        var parts = token.split(separator: ".").map(String.init)
        var signature = try #require(Base64URL.decode(parts[2]))
        signature[signature.count / 2] ^= 0x40
        #expect(Self.verify(parts[0] + "." + parts[1] + "." + Base64URL.encode(signature), verifier, now: 1_800_000_000_000) == .failure(.badSignature))
        parts[1] = Base64URL.encode(Array(#"{"iss":"https://sso.test","sub":"admin","exp":2000000000,"roles":["admin"]}"#.utf8))
        #expect(Self.verify(parts.joined(separator: "."), verifier, now: 1_800_000_000_000) == .failure(.badSignature))
    }

    @Test("HMAC tokens verify with a long enough secret; a short secret is refused at load")
    func hmac() throws {
        let secret = Array("0123456789abcdef0123456789abcdef".utf8)
        let verifier = try JWTIssuerVerifier(index: 0, settings: Self.issuer(["HS256"], issuer: "i", keyKind: .secret, subject: "sub"), keys: [.hmac(secret)])
        let token = try SigningKey.hmac(secret).token(.hs256, claims: #"{"iss":"i","sub":"s","exp":2000000000}"#)
        #expect(try Self.verify(token, verifier, now: 0).get().id == "s")
        #expect(throws: KeyError.self) {
            try JWTIssuerVerifier(index: 0, settings: Self.issuer(["HS256"], keyKind: .secret), keys: [.hmac(Array("short".utf8))])
        }
    }

    @Test("`alg: none` is refused, whatever the signature part holds")
    func algNone() throws {
        let verifier = try Self.verifier(Self.rfcRS256Key, ["RS256"])
        let header = Base64URL.encode(Array(#"{"alg":"none"}"#.utf8))
        let payload = Base64URL.encode(Array(#"{"iss":"joe","exp":2000000000}"#.utf8))
        #expect(Self.verify(header + "." + payload + ".", verifier, now: Self.rfcTime) == .failure(.algorithmNotAccepted))
        #expect(JWSAlgorithm(rawValue: "none") == nil)
    }

    @Test("HS256 signed with the RSA public key as the secret is refused (key confusion)")
    func keyConfusion() throws {
        let publicPEM = Self.pem("rsa.pub.pem")
        let key = try VerificationKey.pem(publicPEM)
        let verifier = try JWTIssuerVerifier(index: 0, settings: Self.issuer(["RS256"], issuer: "i", subject: "sub"), keys: [key])
        let forged = try SigningKey.hmac(Array(publicPEM.utf8)).token(.hs256, claims: #"{"iss":"i","sub":"admin","exp":2000000000}"#)
        #expect(Self.verify(forged, verifier, now: 0) == .failure(.algorithmNotAccepted))
        #expect(!key.accepts(.hs256))
        // Even an issuer that lists HS256 has no key that may verify it with an RSA key.
        #expect(throws: KeyError.self) { try JWTIssuerVerifier(index: 0, settings: Self.issuer(["RS256", "HS256"]), keys: [key]) }
    }

    @Test("A key set's kid picks the key; an unknown kid and a kid-less token against several keys are refused")
    func keyIDs() throws {
        let signer = try SigningKey.pem(Self.pem("p256.pem"))
        let good = try VerificationKey.pem(Self.pem("p256.pub.pem"), id: "k1")
        let other = try VerificationKey.pem(Self.pem("p384.pub.pem"), id: "k2")
        let verifier = try JWTIssuerVerifier(index: 0, settings: Self.issuer(["ES256", "ES384"], issuer: "i", subject: "sub"), keys: [other, good])
        let claims = #"{"iss":"i","sub":"s","exp":2000000000}"#
        #expect(try Self.verify(signer.token(.es256, claims: claims, keyID: "k1"), verifier, now: 0).get().id == "s")
        #expect(Self.verify(try signer.token(.es256, claims: claims, keyID: "k9"), verifier, now: 0) == .failure(.unknownKey))
        #expect(Self.verify(try signer.token(.es256, claims: claims, keyID: "k2"), verifier, now: 0) == .failure(.algorithmNotAccepted))
    }

    @Test("exp, nbf and iat are checked within the leeway; iss and aud when configured")
    func claims() throws {
        let secret = Array("0123456789abcdef0123456789abcdef".utf8)
        let signer = SigningKey.hmac(secret)
        let verifier = try JWTIssuerVerifier(index: 0, settings: Self.issuer(["HS256"], issuer: "i", audiences: ["api"], keyKind: .secret,
                                                                            subject: "sub", leeway: 30_000), keys: [.hmac(secret)])
        func check(_ claims: String, at seconds: Int64) throws -> Result<Principal, AuthenticationFailure> {
            Self.verify(try signer.token(.hs256, claims: claims), verifier, now: seconds * 1_000)
        }
        let base = #""iss":"i","sub":"s","aud":"api""#
        #expect(try check("{\(base),\"exp\":1000}", at: 1_029).map(\.id) == .success("s"))
        #expect(try check("{\(base),\"exp\":1000}", at: 1_030) == .failure(.expired))
        #expect(try check("{\(base),\"exp\":5000,\"nbf\":1031}", at: 1_000) == .failure(.notYetValid))
        #expect(try check("{\(base),\"exp\":5000,\"nbf\":1030}", at: 1_000).map(\.id) == .success("s"))
        #expect(try check("{\(base),\"exp\":5000,\"iat\":1100}", at: 1_000) == .failure(.issuedInFuture))
        #expect(try check("{\(base)}", at: 1_000) == .failure(.missingExpiry))
        #expect(try check(#"{"iss":"other","sub":"s","aud":"api","exp":5000}"#, at: 1_000) == .failure(.wrongIssuer))
        #expect(try check(#"{"iss":"i","sub":"s","aud":["web","mobile"],"exp":5000}"#, at: 1_000) == .failure(.wrongAudience))
        #expect(try check(#"{"iss":"i","sub":"s","aud":["web","api"],"exp":5000}"#, at: 1_000).map(\.id) == .success("s"))
        #expect(try check(#"{"iss":"i","aud":"api","exp":5000}"#, at: 1_000) == .failure(.missingSubject))
    }

    @Test("Malformed tokens are refused before any key is touched", arguments: [
        "", "abc", "a.b", "a.b.c.d.e", "!!!.e30.", "e30.e30.", "eyJhbGciOiJIUzI1NiIsImFsZyI6Im5vbmUifQ.e30.AAAA",
        "eyJhbGciOiJIUzI1NiIsImNyaXQiOlsiZXhwIl19.e30.AAAA", "W10.e30.AAAA",
    ])
    func malformed(token: String) {
        guard case .failure(let failure) = JSONWebToken.decode(Array(token.utf8)) else {
            Issue.record("\(token) decoded")
            return
        }
        #expect(failure == .malformed)
    }

    @Test("Key sets refuse private material, shared kids and unknown key types")
    func keySetErrors() {
        #expect(throws: KeyError.self) { try JSONWebKeySet.keys(from: Array(#"{"keys":[{"kty":"EC","crv":"P-256","x":"f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU","y":"x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0","d":"jpsQnnGQmL-YBIffH1136cspYG6-0iY7X1fCE9-E9LI"}]}"#.utf8)) }
        #expect(throws: KeyError.self) { try JSONWebKeySet.keys(from: Array(#"{"keys":[{"kty":"oct","kid":"a","k":"AAAA"},{"kty":"oct","kid":"a","k":"BBBB"}]}"#.utf8)) }
        #expect(throws: KeyError.self) { try JSONWebKeySet.keys(from: Array(#"{"keys":[{"kty":"XYZ"}]}"#.utf8)) }
        #expect(throws: KeyError.self) { try VerificationKey.pem(Self.pem("rsa1024.pub.pem")) }
    }

    /// An HS256 issuer `i` with a small cache, and a token for subject `s` expiring at 2,000 s.
    static func hs256Authenticator() throws -> (CredentialAuthenticator, String) {
        let secret = Array("0123456789abcdef0123456789abcdef".utf8)
        let verifier = try JWTIssuerVerifier(index: 0, settings: issuer(["HS256"], issuer: "i", keyKind: .secret, subject: "sub"), keys: [.hmac(secret)])
        let authenticator = CredentialAuthenticator(issuers: [verifier], apiKeys: nil, apiKeyHeader: nil, cache: TokenCache(capacity: 4, shards: 1))
        return (authenticator, try SigningKey.hmac(secret).token(.hs256, claims: #"{"iss":"i","sub":"s","exp":2000}"#))
    }

    @Test("A verified token is cached until it expires; the cache never holds failures")
    func cache() throws {
        let (authenticator, token) = try Self.hs256Authenticator()
        let request = RequestHead(method: "GET", target: "/", headers: [("authorization", "Bearer \(token)")])
        func subject(_ result: AuthenticationResult) -> String? {
            if case .authenticated(let principal) = result { return principal.id }
            return nil
        }
        #expect(subject(authenticator.authenticate(request, mask: 2, now: 1_000_000)) == "s")
        #expect(authenticator.cache.count == 1)
        #expect(subject(authenticator.authenticate(request, mask: 2, now: 1_500_000)) == "s")
        #expect(authenticator.authenticate(request, mask: 2, now: 2_000_000) == .failed(AuthenticationFailure.expired.detail))
        #expect(authenticator.cache.count == 0)
        let bad = RequestHead(method: "GET", target: "/", headers: [("authorization", "Bearer \(token.dropLast(2))AA")])
        #expect(authenticator.authenticate(bad, mask: 2, now: 1_000_000) == .failed(AuthenticationFailure.badSignature.detail))
        #expect(authenticator.cache.count == 0)
        // A route that accepts only API keys ignores the token.
        #expect(authenticator.authenticate(request, mask: 1, now: 1_000_000) == .none)
    }

    @Test("The bearer scheme matches in any case, the token is trimmed of spaces and tabs, other schemes are not read")
    func bearerScheme() throws {
        let (authenticator, token) = try Self.hs256Authenticator()
        for value in ["Bearer \(token)", "bearer \(token)", "BEARER \t \(token) \t", "Bearer    \(token)"] {
            let request = RequestHead(method: "GET", target: "/", headers: [("authorization", value)])
            guard case .authenticated(let principal) = authenticator.authenticate(request, mask: 2, now: 1_000_000) else {
                Issue.record("not authenticated: \(value.prefix(12))")
                continue
            }
            #expect(principal.id == "s")
        }
        for value in ["Basic \(token)", "Bearer", "Bearertoken"] {
            let request = RequestHead(method: "GET", target: "/", headers: [("authorization", value)])
            #expect(authenticator.authenticate(request, mask: 2, now: 1_000_000) == .none, "\(value.prefix(12))")
        }
    }

    @Test("The cache's key is the token's SHA-256 (the FIPS 180-2 test vector, and agreement with the EVP digest)")
    func cacheKey() {
        func words(_ bytes: [UInt8]) -> TokenCache.Digest {
            bytes.withUnsafeBytes { raw in
                TokenCache.Digest(a: raw.load(fromByteOffset: 0, as: UInt64.self), b: raw.load(fromByteOffset: 8, as: UInt64.self),
                                  c: raw.load(fromByteOffset: 16, as: UInt64.self), d: raw.load(fromByteOffset: 24, as: UInt64.self))
            }
        }
        let abc = Array("abc".utf8)
        let expected: [UInt8] = [0xba, 0x78, 0x16, 0xbf, 0x8f, 0x01, 0xcf, 0xea, 0x41, 0x41, 0x40, 0xde, 0x5d, 0xae, 0x22, 0x23,
                                 0xb0, 0x03, 0x61, 0xa3, 0x96, 0x17, 0x7a, 0x9c, 0xb4, 0x10, 0xff, 0x61, 0xf2, 0x00, 0x15, 0xad]
        #expect(abc.withUnsafeBytes { TokenCache.digest($0) } == words(expected))
        let token = Array(repeating: UInt8(ascii: "x"), count: 1_000)
        #expect(token.withUnsafeBytes { TokenCache.digest($0) } == words(SHA256.hash(token)))
    }

    @Test("An issuer that names a cookie reads the token from it, and the principal says so (CSRF applies)")
    func cookieToken() throws {
        let secret = Array("0123456789abcdef0123456789abcdef".utf8)
        var settings = Self.issuer(["HS256"], issuer: "i", keyKind: .secret, subject: "sub")
        settings.cookie = "fx_session"
        let verifier = try JWTIssuerVerifier(index: 0, settings: settings, keys: [.hmac(secret)])
        let authenticator = CredentialAuthenticator(issuers: [verifier], apiKeys: nil, apiKeyHeader: nil)
        let token = try SigningKey.hmac(secret).token(.hs256, claims: #"{"iss":"i","sub":"s","exp":2000}"#)
        let request = RequestHead(method: "POST", target: "/", headers: [("cookie", "theme=dark; fx_session=\(token)")])
        guard case .authenticated(let principal) = authenticator.authenticate(request, mask: 2, now: 1_000_000) else {
            Issue.record("the cookie's token was not accepted")
            return
        }
        #expect(principal.id == "s" && principal.viaCookie)
    }
}
