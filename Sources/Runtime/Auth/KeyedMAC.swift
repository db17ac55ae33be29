import COpenSSL

/// An HMAC keyed once. SHA-256 (the API key store's, and HS256) keeps the key's
/// inner and outer hash states and copies them per message (`gateway_hmac_sha256`):
/// no allocation, no provider dispatch. SHA-384 and SHA-512 copy a set-up EVP
/// context (EVP_MAC_CTX_dup) instead of fetching the algorithm and digest again,
/// which costs tens of microseconds per call in OpenSSL 3.
final class KeyedMAC: @unchecked Sendable {
    // @unchecked: the keyed states are never changed after init; each use copies them.
    private enum State {
        case sha256(UnsafeMutablePointer<gateway_hmac_sha256_key>)
        case evp(OpaquePointer)
    }

    private let state: State
    let outputBytes: Int

    /// `digest` is an OpenSSL digest name: SHA256, SHA384 or SHA512.
    init?(digest: String, key: [UInt8]) {
        if digest == "SHA256" {
            let keyed = UnsafeMutablePointer<gateway_hmac_sha256_key>.allocate(capacity: 1)
            key.withUnsafeBufferPointer { gateway_hmac_sha256_key_init(keyed, $0.baseAddress, $0.count) }
            state = .sha256(keyed)
            outputBytes = 32
            return
        }
        guard let context = key.withUnsafeBufferPointer({ gateway_hmac_context(digest, $0.baseAddress, $0.count) }) else {
            ERR_clear_error()
            return nil
        }
        state = .evp(context)
        outputBytes = digest == "SHA512" ? 64 : 48
    }

    deinit {
        switch state {
        case .sha256(let keyed):
            OPENSSL_cleanse(keyed, MemoryLayout<gateway_hmac_sha256_key>.size)
            keyed.deallocate()
        case .evp(let context):
            EVP_MAC_CTX_free(context)
        }
    }

    /// The MAC of `message` into `out` (at least `outputBytes` long); false on failure.
    func mac(_ message: UnsafeRawBufferPointer, into out: UnsafeMutableRawBufferPointer) -> Bool {
        guard out.count >= outputBytes, let target = out.baseAddress?.assumingMemoryBound(to: UInt8.self) else { return false }
        switch state {
        case .sha256(let keyed):
            gateway_hmac_sha256(keyed, message.baseAddress?.assumingMemoryBound(to: UInt8.self), message.count, target)
            return true
        case .evp(let template):
            guard let context = EVP_MAC_CTX_dup(template) else { return false }
            defer { EVP_MAC_CTX_free(context) }
            var length = 0
            return EVP_MAC_update(context, message.baseAddress?.assumingMemoryBound(to: UInt8.self), message.count) == 1
                && EVP_MAC_final(context, target, &length, out.count) == 1
                && length == outputBytes
        }
    }

    func verify(_ message: UnsafeRawBufferPointer, equals expected: UnsafeRawBufferPointer) -> Bool {
        guard expected.count == outputBytes else { return false }
        return withUnsafeTemporaryAllocation(byteCount: 64, alignment: 8) { out in
            mac(message, into: out) && CRYPTO_memcmp(out.baseAddress, expected.baseAddress, outputBytes) == 0
        }
    }
}
