import COpenSSL

/// A key that verifies JWS signatures: an HMAC secret or an OpenSSL public key.
/// The key decides which algorithms it may verify, never the token (design.md,
/// "Security invariants"): an RSA key never verifies HS256, an HMAC secret never
/// verifies RS256, and a JWK's `alg` narrows it to exactly one.
public final class VerificationKey: @unchecked Sendable {
    // @unchecked: the EVP_PKEY is never mutated after loading, and OpenSSL allows
    // concurrent verification with one key.
    public enum Kind: Sendable, Equatable { case hmac, rsa, ecP256, ecP384, ed25519 }

    public let kind: Kind
    /// The JWK `kid`, when the key came from a key set.
    public let id: String?
    /// The JWK `alg`, when the key set pins one.
    public let pinnedAlgorithm: JWSAlgorithm?
    private let secret: [UInt8]
    private let publicKey: OpaquePointer?
    /// Per algorithm this key accepts, a context already set up for it (an HMAC keyed
    /// with the secret, or a DigestVerify with key, digest and padding). Each
    /// verification copies one: OpenSSL 3 otherwise fetches algorithms and builds key
    /// contexts on every call, which costs more than RSA's arithmetic.
    private let macTemplates: [JWSAlgorithm: KeyedMAC]
    private let verifyTemplates: [JWSAlgorithm: OpaquePointer]

    private init(kind: Kind, id: String?, pinned: JWSAlgorithm?, secret: [UInt8], publicKey: OpaquePointer?) {
        self.kind = kind
        self.id = id
        self.pinnedAlgorithm = pinned
        self.secret = secret
        self.publicKey = publicKey
        var macs: [JWSAlgorithm: KeyedMAC] = [:]
        var verifiers: [JWSAlgorithm: OpaquePointer] = [:]
        for algorithm in JWSAlgorithm.allCases where Self.accepts(algorithm, kind: kind, pinned: pinned, secretLength: secret.count) {
            if algorithm.family == .hmac {
                macs[algorithm] = KeyedMAC(digest: algorithm.digestName, key: secret)
            } else if let publicKey, let context = Self.verifyContext(algorithm, publicKey) {
                verifiers[algorithm] = context
            }
        }
        ERR_clear_error()
        self.macTemplates = macs
        self.verifyTemplates = verifiers
    }

    deinit {
        for context in verifyTemplates.values { EVP_MD_CTX_free(context) }
        if let publicKey { EVP_PKEY_free(publicKey) }
    }

    private static func verifyContext(_ algorithm: JWSAlgorithm, _ key: OpaquePointer) -> OpaquePointer? {
        guard let context = EVP_MD_CTX_new() else { return nil }
        var keyContext: OpaquePointer?
        var ok = EVP_DigestVerifyInit_ex(context, &keyContext, algorithm.family == .edDSA ? nil : algorithm.digestName, nil, nil, key, nil) == 1
        if ok && algorithm.family == .rsaPSS {
            // RFC 7518 3.5: MGF1 with the same hash, salt as long as the hash.
            ok = EVP_PKEY_CTX_set_rsa_padding(keyContext, gateway_rsa_pss_padding()) == 1
                && EVP_PKEY_CTX_set_rsa_pss_saltlen(keyContext, gateway_rsa_pss_saltlen_digest()) == 1
        }
        if !ok {
            EVP_MD_CTX_free(context)
            return nil
        }
        return context
    }

    /// An HMAC secret; it must be at least as long as the hash (RFC 7518 3.2) of every
    /// HS algorithm it will verify, which `accepts` checks.
    public static func hmac(_ secret: [UInt8], id: String? = nil, pinned: JWSAlgorithm? = nil) -> VerificationKey {
        VerificationKey(kind: .hmac, id: id, pinned: pinned, secret: secret, publicKey: nil)
    }

    /// A public key in PEM (SubjectPublicKeyInfo, `-----BEGIN PUBLIC KEY-----`).
    public static func pem(_ text: String, id: String? = nil, pinned: JWSAlgorithm? = nil) throws(KeyError) -> VerificationKey {
        guard let key = PEM.key(text, .publicKey) else { throw KeyError("not a public key in PEM form (expected -----BEGIN PUBLIC KEY-----)") }
        return try publicKey(key, id: id, pinned: pinned)
    }

    /// A public key from DER SubjectPublicKeyInfo (what JWK members are turned into).
    static func spki(_ der: [UInt8], id: String?, pinned: JWSAlgorithm?) throws(KeyError) -> VerificationKey {
        let key = der.withUnsafeBufferPointer { buffer -> OpaquePointer? in
            var cursor: UnsafePointer<UInt8>? = buffer.baseAddress
            return d2i_PUBKEY(nil, &cursor, buffer.count)
        }
        ERR_clear_error()
        guard let key else { throw KeyError("the key material is not a valid public key") }
        return try publicKey(key, id: id, pinned: pinned)
    }

    private static func publicKey(_ key: OpaquePointer, id: String?, pinned: JWSAlgorithm?) throws(KeyError) -> VerificationKey {
        let kind: Kind
        switch EVP_PKEY_get_base_id(key) {
        case EVP_PKEY_RSA:
            guard EVP_PKEY_get_bits(key) >= 2048 else {
                EVP_PKEY_free(key)
                throw KeyError("RSA keys must have at least 2048 bits")
            }
            kind = .rsa
        case EVP_PKEY_EC:
            switch EVP_PKEY_get_bits(key) {
            case 256: kind = .ecP256
            case 384: kind = .ecP384
            default:
                EVP_PKEY_free(key)
                throw KeyError("only the P-256 and P-384 curves are supported")
            }
        case EVP_PKEY_ED25519: kind = .ed25519
        default:
            EVP_PKEY_free(key)
            throw KeyError("unsupported key type (use RSA, EC P-256/P-384 or Ed25519)")
        }
        return VerificationKey(kind: kind, id: id, pinned: pinned, secret: [], publicKey: key)
    }

    /// Whether this key may verify `algorithm` at all.
    public func accepts(_ algorithm: JWSAlgorithm) -> Bool {
        Self.accepts(algorithm, kind: kind, pinned: pinnedAlgorithm, secretLength: secret.count)
    }

    private static func accepts(_ algorithm: JWSAlgorithm, kind: Kind, pinned: JWSAlgorithm?, secretLength: Int) -> Bool {
        if let pinned, pinned != algorithm { return false }
        return switch (algorithm.family, kind) {
        case (.hmac, .hmac): secretLength >= algorithm.hashBytes
        case (.rsa, .rsa), (.rsaPSS, .rsa): true
        case (.ecdsa, .ecP256): algorithm == .es256
        case (.ecdsa, .ecP384): algorithm == .es384
        case (.edDSA, .ed25519): true
        default: false
        }
    }

    /// True only for a valid signature by this key with `algorithm` over `input`.
    public func verify(_ algorithm: JWSAlgorithm, input: UnsafeRawBufferPointer, signature: [UInt8]) -> Bool {
        guard accepts(algorithm) else { return false }
        defer { ERR_clear_error() }
        switch algorithm.family {
        case .hmac: return verifyHMAC(algorithm, input, signature)
        case .ecdsa:
            // JWS carries r || s; OpenSSL verifies the DER ECDSA-Sig-Value.
            let half = algorithm.curveBytes
            guard signature.count == 2 * half else { return false }
            let der = DER.sequence(DER.unsignedInteger(Array(signature[..<half])), DER.unsignedInteger(Array(signature[half...])))
            return verifyDigest(algorithm, input, der)
        case .edDSA:
            guard signature.count == 64 else { return false }
            return verifyDigest(algorithm, input, signature)
        case .rsa, .rsaPSS:
            return verifyDigest(algorithm, input, signature)
        }
    }

    private func verifyHMAC(_ algorithm: JWSAlgorithm, _ input: UnsafeRawBufferPointer, _ signature: [UInt8]) -> Bool {
        guard let mac = macTemplates[algorithm] else { return false }
        return signature.withUnsafeBytes { mac.verify(input, equals: $0) }
    }

    private func verifyDigest(_ algorithm: JWSAlgorithm, _ input: UnsafeRawBufferPointer, _ signature: [UInt8]) -> Bool {
        guard let template = verifyTemplates[algorithm], let context = EVP_MD_CTX_new() else { return false }
        defer { EVP_MD_CTX_free(context) }
        guard EVP_MD_CTX_copy_ex(context, template) == 1 else { return false }
        return EVP_DigestVerify(context, signature, signature.count, input.baseAddress?.assumingMemoryBound(to: UInt8.self), input.count) == 1
    }
}

/// Why a key could not be loaded.
public struct KeyError: Error, Sendable, Equatable, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}
