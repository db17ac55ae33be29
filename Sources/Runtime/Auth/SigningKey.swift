import COpenSSL

/// Signs JWS tokens: for `gateway token` (demo and test tokens) and tests. The
/// gateway itself only verifies.
public final class SigningKey: @unchecked Sendable {
    // @unchecked: the EVP_PKEY is never mutated after loading.
    private let secret: [UInt8]
    private let privateKey: OpaquePointer?

    private init(secret: [UInt8], privateKey: OpaquePointer?) {
        self.secret = secret
        self.privateKey = privateKey
    }

    deinit { if let privateKey { EVP_PKEY_free(privateKey) } }

    public static func hmac(_ secret: [UInt8]) -> SigningKey { SigningKey(secret: secret, privateKey: nil) }

    /// A private key in PEM (PKCS#8 or traditional): RSA, EC P-256/P-384 or Ed25519.
    public static func pem(_ text: String) throws(KeyError) -> SigningKey {
        guard let key = PEM.key(text, .privateKey) else { throw KeyError("not a private key in PEM form") }
        return SigningKey(secret: [], privateKey: key)
    }

    /// A compact JWS of `claims` (JSON text) with `algorithm` and optional `kid`.
    public func token(_ algorithm: JWSAlgorithm, claims: String, keyID: String? = nil) throws(KeyError) -> String {
        var header = "{\"alg\":\"\(algorithm.rawValue)\",\"typ\":\"JWT\""
        if let keyID { header += ",\"kid\":\(Problem.json(keyID))" }
        header += "}"
        let input = Base64URL.encode(Array(header.utf8)) + "." + Base64URL.encode(Array(claims.utf8))
        return input + "." + Base64URL.encode(try sign(algorithm, Array(input.utf8)))
    }

    public func sign(_ algorithm: JWSAlgorithm, _ input: [UInt8]) throws(KeyError) -> [UInt8] {
        defer { ERR_clear_error() }
        if algorithm.family == .hmac {
            guard privateKey == nil else { throw KeyError("\(algorithm.rawValue) needs an HMAC secret") }
            var mac = [UInt8](repeating: 0, count: 64)
            var length: UInt32 = 0
            guard secret.withUnsafeBytes({ HMAC(algorithm.digest, $0.baseAddress, Int32($0.count), input, input.count, &mac, &length) }) != nil else {
                throw KeyError("HMAC failed")
            }
            return Array(mac[0..<Int(length)])
        }
        guard let privateKey, let context = EVP_MD_CTX_new() else { throw KeyError("\(algorithm.rawValue) needs a private key") }
        defer { EVP_MD_CTX_free(context) }
        var keyContext: OpaquePointer?
        guard EVP_DigestSignInit(context, &keyContext, algorithm.digest, nil, privateKey) == 1 else { throw KeyError("the key cannot sign \(algorithm.rawValue)") }
        if algorithm.family == .rsaPSS {
            guard EVP_PKEY_CTX_set_rsa_padding(keyContext, gateway_rsa_pss_padding()) == 1,
                  EVP_PKEY_CTX_set_rsa_pss_saltlen(keyContext, gateway_rsa_pss_saltlen_digest()) == 1 else { throw KeyError("PSS setup failed") }
        }
        var length = 0
        guard EVP_DigestSign(context, nil, &length, input, input.count) == 1 else { throw KeyError("signing failed") }
        var signature = [UInt8](repeating: 0, count: length)
        guard EVP_DigestSign(context, &signature, &length, input, input.count) == 1 else { throw KeyError("signing failed") }
        signature.removeSubrange(length...)
        return algorithm.family == .ecdsa ? try Self.rawECDSA(signature, size: algorithm.curveBytes) : signature
    }

    /// DER ECDSA-Sig-Value to JWS r || s, each left-padded to the curve size.
    static func rawECDSA(_ der: [UInt8], size: Int) throws(KeyError) -> [UInt8] {
        var index = 0
        func read(_ tag: UInt8) throws(KeyError) -> [UInt8] {
            guard index + 2 <= der.count, der[index] == tag else { throw KeyError("bad ECDSA signature") }
            var length = Int(der[index + 1])
            index += 2
            if length & 0x80 != 0 {
                let count = length & 0x7F
                guard count <= 2, index + count <= der.count else { throw KeyError("bad ECDSA signature") }
                length = der[index..<(index + count)].reduce(0) { $0 << 8 | Int($1) }
                index += count
            }
            guard index + length <= der.count else { throw KeyError("bad ECDSA signature") }
            defer { index += length }
            return Array(der[index..<(index + length)])
        }
        _ = try read(0x30)
        index = der.count > 1 && der[1] & 0x80 != 0 ? 2 + Int(der[1] & 0x7F) : 2
        let r = try read(0x02).drop { $0 == 0 }, s = try read(0x02).drop { $0 == 0 }
        guard r.count <= size, s.count <= size else { throw KeyError("bad ECDSA signature") }
        return [UInt8](repeating: 0, count: size - r.count) + r + [UInt8](repeating: 0, count: size - s.count) + s
    }
}
