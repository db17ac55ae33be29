import COpenSSL

/// API key text and its stored hash. A key reads `gwk_<id>_<secret>`: the id (16 hex
/// digits) is public and finds the store entry in O(1); the secret is 32 random
/// bytes. The store keeps only HMAC-SHA256(pepper, key), so a leaked store file
/// cannot be used, nor brute-forced without the pepper.
public enum APIKey {
    public static let prefix = "gwk_"

    /// A new key: its id and the full text, which is shown once and never stored.
    public static func generate() throws(KeyError) -> (id: String, key: String) {
        var id = [UInt8](repeating: 0, count: 8)
        var secret = [UInt8](repeating: 0, count: 32)
        guard RAND_bytes(&id, 8) == 1, RAND_bytes(&secret, 32) == 1 else { throw KeyError("the system random generator failed") }
        let hexID = id.map { hexByte($0) }.joined()
        return (hexID, prefix + hexID + "_" + Base64URL.encode(secret))
    }

    /// The id part of a key's text, or nil when the text is not shaped like a key.
    public static func id<Bytes: RandomAccessCollection>(of key: Bytes) -> String? where Bytes.Element == UInt8, Bytes.Index == Int {
        // Read as bytes: the id is 16 lower-case hex digits after the prefix, then `_`
        // and a secret that is not empty.
        let start = key.startIndex + prefixBytes.count, end = start + 16
        guard key.count <= 128, key.count > end - key.startIndex + 1, key.starts(with: prefixBytes), key[end] == UInt8(ascii: "_"),
              key[start..<end].allSatisfy({ ($0 >= 0x30 && $0 <= 0x39) || ($0 >= 0x61 && $0 <= 0x66) }) else { return nil }
        return String(decoding: key[start..<end], as: UTF8.self)
    }

    /// The id's 16 hex digits as a number: how the key store indexes its keys, so a
    /// request's lookup neither allocates a String nor hashes one.
    static func number<Bytes: RandomAccessCollection>(of key: Bytes) -> UInt64? where Bytes.Element == UInt8, Bytes.Index == Int {
        let start = key.startIndex + prefixBytes.count, end = start + 16
        guard key.count <= 128, key.count > end - key.startIndex + 1, key.starts(with: prefixBytes), key[end] == UInt8(ascii: "_") else { return nil }
        return number(ofID: key[start..<end])
    }

    /// 16 lower-case hex digits as a number; nil for anything else.
    static func number<Digits: Collection>(ofID digits: Digits) -> UInt64? where Digits.Element == UInt8 {
        guard digits.count == 16 else { return nil }
        var value: UInt64 = 0
        for digit in digits {
            switch digit {
            case 0x30...0x39: value = value << 4 | UInt64(digit - 0x30)
            case 0x61...0x66: value = value << 4 | UInt64(digit - 0x61 + 10)
            default: return nil
            }
        }
        return value
    }

    private static let prefixBytes = Array(prefix.utf8)

    /// `hmac-sha256:<hex>` of the key under the pepper.
    public static func hash(_ key: String, pepper: [UInt8]) -> String {
        "hmac-sha256:" + mac(Array(key.utf8), pepper: pepper).map { hexByte($0) }.joined()
    }

    static func mac(_ message: [UInt8], pepper: [UInt8]) -> [UInt8] {
        var out = [UInt8](repeating: 0, count: 32)
        var length: UInt32 = 0
        _ = pepper.withUnsafeBytes { key in
            HMAC(EVP_sha256(), key.baseAddress, Int32(key.count), message, message.count, &out, &length)
        }
        return out
    }
}
