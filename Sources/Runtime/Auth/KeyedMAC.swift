import COpenSSL

/// An HMAC keyed once: each message copies the set-up context (EVP_MAC_CTX_dup)
/// instead of fetching the algorithm and digest again, which costs tens of
/// microseconds per call in OpenSSL 3.
final class KeyedMAC: @unchecked Sendable {
    // @unchecked: the template is never changed after init; each use duplicates it.
    private let template: OpaquePointer
    let outputBytes: Int

    /// `digest` is an OpenSSL digest name: SHA256, SHA384 or SHA512.
    init?(digest: String, key: [UInt8]) {
        guard let context = key.withUnsafeBufferPointer({ gateway_hmac_context(digest, $0.baseAddress, $0.count) }) else {
            ERR_clear_error()
            return nil
        }
        template = context
        outputBytes = digest == "SHA512" ? 64 : digest == "SHA384" ? 48 : 32
    }

    deinit { EVP_MAC_CTX_free(template) }

    /// The MAC of `message` into `out` (at least `outputBytes` long); false on failure.
    func mac(_ message: UnsafeRawBufferPointer, into out: UnsafeMutableRawBufferPointer) -> Bool {
        guard out.count >= outputBytes, let context = EVP_MAC_CTX_dup(template) else { return false }
        defer { EVP_MAC_CTX_free(context) }
        var length = 0
        return EVP_MAC_update(context, message.baseAddress?.assumingMemoryBound(to: UInt8.self), message.count) == 1
            && EVP_MAC_final(context, out.baseAddress?.assumingMemoryBound(to: UInt8.self), &length, out.count) == 1
            && length == outputBytes
    }

    /// Whether `expected` is the MAC of `message`, compared in constant time.
    func verify(_ message: UnsafeRawBufferPointer, equals expected: UnsafeRawBufferPointer) -> Bool {
        guard expected.count == outputBytes else { return false }
        return withUnsafeTemporaryAllocation(byteCount: 64, alignment: 8) { out in
            mac(message, into: out) && CRYPTO_memcmp(out.baseAddress, expected.baseAddress, outputBytes) == 0
        }
    }
}
