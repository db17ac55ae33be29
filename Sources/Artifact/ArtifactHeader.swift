/// The fixed-size header in front of an artifact's body.
///
/// Layout (little-endian, 136 bytes): magic (8), format version (2), flags (2),
/// header length (4), body length (8), SHA-256 of the body (32), compiler version
/// (16, NUL-padded ASCII), Ed25519 signature of the body (64, zero when unsigned).
public struct ArtifactHeader: Sendable, Hashable {
    /// PNG-style: a high byte, a name, and line endings that text-mode transfers mangle.
    public static let magic: [UInt8] = [0x89, 0x47, 0x57, 0x43, 0x0D, 0x0A, 0x1A, 0x0A]
    public static let formatVersion: UInt16 = 3
    public static let size = 136
    public static let signedFlag: UInt16 = 1

    public var formatVersion: UInt16
    public var compilerVersion: String
    public var bodyLength: UInt64
    public var bodySHA256: [UInt8]
    public var signature: [UInt8]?

    public var isSigned: Bool { signature != nil }

    /// The body hash as lower-case hex, the artifact's identity in logs and metrics.
    public var hashHex: String { bodySHA256.map { String($0, radix: 16).leftPadded(to: 2) }.joined() }

    func encoded() -> [UInt8] {
        var writer = ByteWriter()
        writer.raw(Self.magic)
        writer.u16(formatVersion)
        writer.u16(isSigned ? Self.signedFlag : 0)
        writer.u32(UInt32(Self.size))
        writer.u64(bodyLength)
        writer.raw(bodySHA256)
        let version = Array(compilerVersion.utf8.prefix(16))
        writer.raw(version + [UInt8](repeating: 0, count: 16 - version.count))
        writer.raw(signature ?? [UInt8](repeating: 0, count: 64))
        return writer.bytes
    }

    /// Reads only the header: for printing a file's identity without verifying it.
    public static func decodeHeader(_ bytes: [UInt8]) throws(ArtifactError) -> ArtifactHeader {
        try decode(bytes)
    }

    static func decode(_ bytes: [UInt8]) throws(ArtifactError) -> ArtifactHeader {
        guard bytes.count >= 8, Array(bytes[0..<8]) == magic else { throw .badMagic }
        var reader = ByteReader(bytes)
        _ = try reader.raw(8)
        let version = try reader.u16()
        guard version == formatVersion else { throw .unsupportedVersion(version) }
        let flags = try reader.u16()
        guard flags & ~signedFlag == 0 else { throw .malformed("unknown header flags \(flags)") }
        guard try reader.u32() == UInt32(size) else { throw .malformed("unexpected header length") }
        let bodyLength = try reader.u64()
        let hash = try reader.raw(32)
        let versionBytes = try reader.raw(16).prefix { $0 != 0 }
        guard let compilerVersion = String(validating: Array(versionBytes), as: UTF8.self) else {
            throw .malformed("compiler version is not text")
        }
        let signature = try reader.raw(64)
        guard UInt64(bytes.count - size) == bodyLength else {
            throw bodyLength > UInt64(bytes.count - size) ? .truncated(bytes.count) : .malformed("\(UInt64(bytes.count - size) - bodyLength) bytes after the body")
        }
        return ArtifactHeader(
            formatVersion: version, compilerVersion: compilerVersion, bodyLength: bodyLength, bodySHA256: hash,
            signature: flags & signedFlag != 0 ? signature : nil)
    }
}

extension String {
    func leftPadded(to width: Int, with pad: Character = "0") -> String {
        count >= width ? self : String(repeating: pad, count: width - count) + self
    }
}
