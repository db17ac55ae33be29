/// Why bytes are not a usable artifact. Each case prints as one line, the line a
/// runtime logs when it refuses to boot or to reload.
public enum ArtifactError: Error, Sendable, Equatable, CustomStringConvertible {
    case badMagic
    case unsupportedVersion(UInt16)
    case truncated(Int)
    case checksumMismatch
    case unsigned
    case badSignature
    case malformed(String)
    case crypto(String)

    public var description: String {
        switch self {
        case .badMagic: "not a gateway artifact (wrong magic bytes)"
        case .unsupportedVersion(let version): "artifact format version \(version) is not supported (this build reads \(ArtifactHeader.formatVersion))"
        case .truncated(let offset): "artifact is truncated (ran out of bytes at offset \(offset))"
        case .checksumMismatch: "artifact checksum does not match its body (corrupted or edited)"
        case .unsigned: "artifact is not signed, but a signature is required"
        case .badSignature: "artifact signature does not verify with the configured public key"
        case .malformed(let detail): "artifact is malformed: \(detail)"
        case .crypto(let detail): "cryptography failed: \(detail)"
        }
    }
}
