import Artifact
import Compiler
import Foundation
import GatewayDSL

let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

/// The forex specs compiled once: the realistic artifact the tests corrupt and sign.
let forexBytes: [UInt8] = {
    let load = (try? SpecLoader().load(paths: [repositoryRoot.appendingPathComponent("specs").path]))
    guard let spec = load?.spec, let bytes = Compiler().compile(spec).bytes else { return [] }
    return bytes
}()

/// A small deterministic generator, so corruption tests are reproducible.
struct SeededGenerator: RandomNumberGenerator {
    var state: UInt64

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// Rewrites the header's body length (offset 16) and SHA-256 (offset 24) so a
/// corrupted body gets past the checksum and must be caught by the structural checks.
func resealed(_ bytes: [UInt8]) -> [UInt8] {
    guard bytes.count >= ArtifactHeader.size else { return bytes }
    var copy = bytes
    let body = Array(bytes[ArtifactHeader.size...])
    let length = UInt64(body.count)
    for index in 0..<8 { copy[16 + index] = UInt8(truncatingIfNeeded: length >> (8 * UInt64(index))) }
    copy.replaceSubrange(24..<56, with: SHA256.hash(body))
    return copy
}
