import COpenSSL

/// The JWS algorithms the gateway verifies (RFC 7518 3, RFC 8037 3.1). `none` is not
/// one of them, so it can never be configured or accepted.
public enum JWSAlgorithm: String, Sendable, CaseIterable {
    case hs256 = "HS256", hs384 = "HS384", hs512 = "HS512"
    case rs256 = "RS256", rs384 = "RS384", rs512 = "RS512"
    case ps256 = "PS256"
    case es256 = "ES256", es384 = "ES384"
    case edDSA = "EdDSA"

    enum Family { case hmac, rsa, rsaPSS, ecdsa, edDSA }

    var family: Family {
        switch self {
        case .hs256, .hs384, .hs512: .hmac
        case .rs256, .rs384, .rs512: .rsa
        case .ps256: .rsaPSS
        case .es256, .es384: .ecdsa
        case .edDSA: .edDSA
        }
    }

    /// The digest, or nil for EdDSA (which hashes internally).
    var digest: OpaquePointer? {
        switch self {
        case .hs256, .rs256, .ps256, .es256: EVP_sha256()
        case .hs384, .rs384, .es384: EVP_sha384()
        case .hs512, .rs512: EVP_sha512()
        case .edDSA: nil
        }
    }

    /// The digest's OpenSSL name, for fetching it once.
    var digestName: String {
        switch self {
        case .hs256, .rs256, .ps256, .es256, .edDSA: "SHA256"
        case .hs384, .rs384, .es384: "SHA384"
        case .hs512, .rs512: "SHA512"
        }
    }

    /// Bytes of the hash output: the minimum HMAC key (RFC 7518 3.2) and half an ECDSA signature's scale.
    var hashBytes: Int {
        switch self {
        case .hs256, .rs256, .ps256, .es256: 32
        case .hs384, .rs384, .es384: 48
        case .hs512, .rs512: 64
        case .edDSA: 64
        }
    }

    /// For ECDSA, the curve's coordinate size in bytes (a JWS signature is r || s).
    var curveBytes: Int { self == .es384 ? 48 : 32 }
}
