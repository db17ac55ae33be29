import COpenSSL

/// Reads one key from PEM text into an owned `EVP_PKEY` (the caller frees it).
enum PEM {
    enum Kind { case publicKey, privateKey }

    static func key(_ text: String, _ kind: Kind) -> OpaquePointer? {
        let bytes = Array(text.utf8)
        let key = bytes.withUnsafeBytes { buffer -> OpaquePointer? in
            guard let bio = BIO_new_mem_buf(buffer.baseAddress, Int32(buffer.count)) else { return nil }
            defer { BIO_free(bio) }
            return kind == .publicKey ? PEM_read_bio_PUBKEY(bio, nil, nil, nil) : PEM_read_bio_PrivateKey(bio, nil, nil, nil)
        }
        ERR_clear_error()
        return key
    }
}
