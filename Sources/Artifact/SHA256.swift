import COpenSSL

/// SHA-256 through the system OpenSSL's EVP interface.
public enum SHA256 {
    public static func hash(_ data: [UInt8]) -> [UInt8] {
        hash(data[...])
    }

    public static func hash(_ data: ArraySlice<UInt8>) -> [UInt8] {
        var digest = [UInt8](repeating: 0, count: 32)
        var length: UInt32 = 0
        let ok = data.withUnsafeBytes { input in
            EVP_Digest(input.baseAddress, input.count, &digest, &length, EVP_sha256(), nil)
        }
        // EVP_Digest with SHA-256 only fails when memory is exhausted; an all-zero
        // digest then fails every comparison, so nothing is trusted by mistake.
        return ok == 1 && length == 32 ? digest : [UInt8](repeating: 0, count: 32)
    }
}
