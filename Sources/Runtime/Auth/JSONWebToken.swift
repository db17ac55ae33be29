/// A compact JWS (RFC 7515 7.1) split and decoded, not yet trusted: the header and
/// claims are read so the verifier can pick the issuer and key, then the signature
/// over `header.payload` decides.
struct JSONWebToken {
    var algorithm: String
    var keyID: String?
    var claims: JSONValue
    /// The ASCII `header.payload` the signature covers.
    var signingInput: ArraySlice<UInt8>
    var signature: [UInt8]

    /// The token, or why it is unusable. Anything but three base64url parts with JSON
    /// objects in the first two is malformed; JWE (five parts) and `crit` extensions
    /// are refused rather than half-understood.
    static func decode(_ token: [UInt8]) -> Result<JSONWebToken, AuthenticationFailure> {
        var dots: [Int] = []
        for (index, byte) in token.enumerated() where byte == UInt8(ascii: ".") {
            dots.append(index)
            if dots.count > 2 { return .failure(.malformed) }
        }
        guard dots.count == 2,
              let headerBytes = Base64URL.decode(token[..<dots[0]]),
              let payloadBytes = Base64URL.decode(token[(dots[0] + 1)..<dots[1]]),
              let signature = Base64URL.decode(token[(dots[1] + 1)...]),
              let header = JSONParser.parse(headerBytes), case .object = header, !header.hasDuplicateMembers,
              let claims = JSONParser.parse(payloadBytes), case .object = claims, !claims.hasDuplicateMembers,
              let algorithm = header["alg"]?.stringValue else { return .failure(.malformed) }
        if header["crit"] != nil { return .failure(.malformed) }
        let keyID: String?
        switch header["kid"] {
        case nil: keyID = nil
        case .string(let id)?: keyID = id
        default: return .failure(.malformed)
        }
        return .success(JSONWebToken(algorithm: algorithm, keyID: keyID, claims: claims, signingInput: token[..<dots[1]], signature: signature))
    }
}

/// Why presented credentials were refused. The text goes into the 401's detail, so
/// it says what is wrong without repeating any part of the credential.
public enum AuthenticationFailure: Error, Sendable, Equatable {
    case malformed, tooLarge, algorithmNotAccepted, unknownKey, badSignature
    case expired, notYetValid, issuedInFuture, missingExpiry, wrongIssuer, wrongAudience, missingSubject
    case unknownAPIKey, revokedAPIKey, expiredAPIKey

    public var detail: String {
        switch self {
        case .malformed: "the bearer token is malformed"
        case .tooLarge: "the bearer token is too large"
        case .algorithmNotAccepted: "the token's signing algorithm is not accepted"
        case .unknownKey: "the token names a signing key this gateway does not know"
        case .badSignature: "the token's signature is not valid"
        case .expired: "the token has expired"
        case .notYetValid: "the token is not valid yet"
        case .issuedInFuture: "the token was issued in the future"
        case .missingExpiry: "the token has no expiry"
        case .wrongIssuer: "the token's issuer is not accepted here"
        case .wrongAudience: "the token is not meant for this API"
        case .missingSubject: "the token has no subject"
        case .unknownAPIKey: "the API key is not valid"
        case .revokedAPIKey: "the API key has been revoked"
        case .expiredAPIKey: "the API key has expired"
        }
    }
}
