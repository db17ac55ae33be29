/// Reads verification keys from a JWKS document (RFC 7517 5) or a single JWK:
/// RSA (`n`, `e`), EC P-256/P-384 (`crv`, `x`, `y`), OKP Ed25519 (`x`, RFC 8037) and
/// `oct` secrets (`k`). `kid` names a key; `alg`, when present, pins it.
public enum JSONWebKeySet {
    public static func keys(from document: [UInt8]) throws(KeyError) -> [VerificationKey] {
        guard let json = JSONParser.parse(document), !json.hasDuplicateMembers else { throw KeyError("the key set is not valid JSON") }
        let entries: [JSONValue]
        if case .array(let list)? = json["keys"] { entries = list } else if json["kty"] != nil { entries = [json] } else {
            throw KeyError("a JWKS needs a \"keys\" array")
        }
        var keys: [VerificationKey] = []
        for (index, entry) in entries.enumerated() {
            do throws(KeyError) {
                if let key = try key(entry) { keys.append(key) }
            } catch {
                throw KeyError("key \(index)\(entry["kid"]?.stringValue.map { " (kid \($0))" } ?? ""): \(error.description)")
            }
        }
        guard !keys.isEmpty else { throw KeyError("the key set has no signature keys") }
        let ids = keys.compactMap(\.id)
        guard Set(ids).count == ids.count else { throw KeyError("two keys share a kid") }
        return keys
    }

    /// One key, or nil for an encryption key (`use: enc`), which a verifier ignores.
    static func key(_ jwk: JSONValue) throws(KeyError) -> VerificationKey? {
        if let use = jwk["use"]?.stringValue, use != "sig" {
            guard use == "enc" else { throw KeyError("\"use\" must be \"sig\"") }
            return nil
        }
        let id = jwk["kid"]?.stringValue
        var pinned: JWSAlgorithm?
        if let alg = jwk["alg"]?.stringValue {
            guard let algorithm = JWSAlgorithm(rawValue: alg) else { throw KeyError("unsupported \"alg\" \(alg)") }
            pinned = algorithm
        }
        guard jwk["d"] == nil, jwk["p"] == nil else { throw KeyError("the key set contains private key material; publish public keys only") }
        func member(_ name: String) throws(KeyError) -> [UInt8] {
            guard let text = jwk[name]?.stringValue, let bytes = Base64URL.decode(text), !bytes.isEmpty else {
                throw KeyError("\"\(name)\" is missing or not base64url")
            }
            return bytes
        }
        switch jwk["kty"]?.stringValue {
        case "RSA":
            let body = DER.sequence(DER.unsignedInteger(try member("n")), DER.unsignedInteger(try member("e")))
            let spki = DER.sequence(DER.sequence(DER.objectIdentifier(DER.rsaEncryption), DER.null), DER.bitString(body))
            return try VerificationKey.spki(spki, id: id, pinned: pinned)
        case "EC":
            let (curve, size): ([UInt8], Int) = switch jwk["crv"]?.stringValue {
            case "P-256": (DER.prime256v1, 32)
            case "P-384": (DER.secp384r1, 48)
            default: throw KeyError("unsupported curve (use P-256 or P-384)")
            }
            let x = try member("x"), y = try member("y")
            guard x.count == size, y.count == size else { throw KeyError("\"x\" and \"y\" must be \(size) bytes") }
            let spki = DER.sequence(DER.sequence(DER.objectIdentifier(DER.ecPublicKey), DER.objectIdentifier(curve)), DER.bitString([0x04] + x + y))
            return try VerificationKey.spki(spki, id: id, pinned: pinned)
        case "OKP":
            guard jwk["crv"]?.stringValue == "Ed25519" else { throw KeyError("unsupported OKP curve (use Ed25519)") }
            let x = try member("x")
            guard x.count == 32 else { throw KeyError("\"x\" must be 32 bytes") }
            return try VerificationKey.spki(DER.sequence(DER.sequence(DER.objectIdentifier(DER.ed25519)), DER.bitString(x)), id: id, pinned: pinned)
        case "oct":
            return VerificationKey.hmac(try member("k"), id: id, pinned: pinned)
        default:
            throw KeyError("unsupported \"kty\" (use RSA, EC, OKP or oct)")
        }
    }
}
