import Artifact

/// libFuzzer entry point: every input must decode or be refused, never crash.
/// Each input is tried as given and resealed with a correct body checksum, so the
/// fuzzer reaches the structural checks instead of stopping at the hash.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    _ = try? Artifact.decode(bytes)
    _ = try? Artifact.decode(reseal(bytes))
    return 0
}

private func reseal(_ bytes: [UInt8]) -> [UInt8] {
    guard bytes.count >= ArtifactHeader.size else { return bytes }
    var copy = bytes
    let body = Array(bytes[ArtifactHeader.size...])
    let length = UInt64(body.count)
    for index in 0..<8 { copy[16 + index] = UInt8(truncatingIfNeeded: length >> (8 * UInt64(index))) }
    copy.replaceSubrange(24..<56, with: SHA256.hash(body))
    return copy
}
