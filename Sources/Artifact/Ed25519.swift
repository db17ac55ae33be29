import COpenSSL

/// Ed25519 signatures through OpenSSL, for signing artifacts in CI and verifying them
/// at boot. Keys are PEM text: PKCS#8 private keys and SubjectPublicKeyInfo public keys,
/// as `openssl genpkey -algorithm ed25519` and `openssl pkey -pubout` write them.
public enum Ed25519 {
    public static func sign(_ message: [UInt8], privateKeyPEM: String) throws(ArtifactError) -> [UInt8] {
        guard let key = loadKey(privateKeyPEM, isPrivate: true) else { throw .crypto("the signing key is not an Ed25519 private key in PEM form") }
        defer { EVP_PKEY_free(key) }
        guard let context = EVP_MD_CTX_new() else { throw .crypto("out of memory") }
        defer { EVP_MD_CTX_free(context) }
        guard EVP_DigestSignInit(context, nil, nil, nil, key) == 1 else { throw .crypto(lastError()) }
        var signature = [UInt8](repeating: 0, count: 64)
        var length = 64
        let ok = message.withUnsafeBytes { input in
            EVP_DigestSign(context, &signature, &length, input.baseAddress?.assumingMemoryBound(to: UInt8.self), input.count)
        }
        guard ok == 1, length == 64 else { throw .crypto(lastError()) }
        return signature
    }

    /// True only for a good signature; a malformed key is an error.
    public static func verify(signature: [UInt8], message: [UInt8], publicKeyPEM: String) throws(ArtifactError) -> Bool {
        guard let key = loadKey(publicKeyPEM, isPrivate: false) else { throw .crypto("the public key is not an Ed25519 public key in PEM form") }
        defer { EVP_PKEY_free(key) }
        guard let context = EVP_MD_CTX_new() else { throw .crypto("out of memory") }
        defer { EVP_MD_CTX_free(context) }
        guard EVP_DigestVerifyInit(context, nil, nil, nil, key) == 1 else { throw .crypto(lastError()) }
        let result = message.withUnsafeBytes { input in
            EVP_DigestVerify(context, signature, signature.count, input.baseAddress?.assumingMemoryBound(to: UInt8.self), input.count)
        }
        ERR_clear_error()
        return result == 1
    }

    /// A new key pair as PEM (private, public): for tests and `gateway` key tooling.
    public static func generateKeyPair() throws(ArtifactError) -> (privateKeyPEM: String, publicKeyPEM: String) {
        guard let context = EVP_PKEY_CTX_new_from_name(nil, "ED25519", nil) else { throw .crypto(lastError()) }
        defer { EVP_PKEY_CTX_free(context) }
        var key: OpaquePointer?
        guard EVP_PKEY_keygen_init(context) == 1, EVP_PKEY_generate(context, &key) == 1, let key else { throw .crypto(lastError()) }
        defer { EVP_PKEY_free(key) }
        let privatePEM = pem { PEM_write_bio_PrivateKey($0, key, nil, nil, 0, nil, nil) }
        let publicPEM = pem { PEM_write_bio_PUBKEY($0, key) }
        guard let privatePEM, let publicPEM else { throw .crypto(lastError()) }
        return (privatePEM, publicPEM)
    }

    private static func loadKey(_ text: String, isPrivate: Bool) -> OpaquePointer? {
        let bytes = Array(text.utf8)
        return bytes.withUnsafeBytes { buffer -> OpaquePointer? in
            guard let bio = BIO_new_mem_buf(buffer.baseAddress, Int32(buffer.count)) else { return nil }
            defer { BIO_free(bio) }
            let key = isPrivate ? PEM_read_bio_PrivateKey(bio, nil, nil, nil) : PEM_read_bio_PUBKEY(bio, nil, nil, nil)
            ERR_clear_error()
            guard let key else { return nil }
            guard EVP_PKEY_get_base_id(key) == EVP_PKEY_ED25519 else {
                EVP_PKEY_free(key)
                return nil
            }
            return key
        }
    }

    private static func pem(_ write: (OpaquePointer) -> Int32) -> String? {
        guard let bio = BIO_new(BIO_s_mem()) else { return nil }
        defer { BIO_free(bio) }
        guard write(bio) == 1 else { return nil }
        var pointer: UnsafeMutablePointer<CChar>?
        let length = gateway_bio_get_mem_data(bio, &pointer)
        guard let pointer, length > 0 else { return nil }
        return String(decoding: UnsafeRawBufferPointer(start: pointer, count: length), as: UTF8.self)
    }

    private static func lastError() -> String {
        let code = ERR_get_error()
        ERR_clear_error()
        guard code != 0 else { return "OpenSSL reported no detail" }
        var buffer = [CChar](repeating: 0, count: 256)
        ERR_error_string_n(code, &buffer, buffer.count)
        return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
