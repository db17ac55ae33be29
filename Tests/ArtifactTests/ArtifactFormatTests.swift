import Foundation
import Testing
@testable import Artifact

@Suite("The artifact format")
struct ArtifactFormatTests {
    @Test("the forex artifact decodes, verifies and re-encodes to the same bytes")
    func roundTrip() throws {
        #expect(!forexBytes.isEmpty)
        let artifact = try Artifact.decode(forexBytes)
        #expect(artifact.routes.count == 24)
        #expect(artifact.header?.compilerVersion == Artifact.compilerVersion)
        #expect(artifact.encoded() == forexBytes)
    }

    @Test("the header starts with the magic bytes and records the body's SHA-256")
    func header() throws {
        #expect(Array(forexBytes.prefix(8)) == ArtifactHeader.magic)
        let header = try ArtifactHeader.decodeHeader(forexBytes)
        #expect(header.bodySHA256 == SHA256.hash(Array(forexBytes[ArtifactHeader.size...])))
        #expect(header.hashHex.count == 64)
    }

    @Test("a method's bit comes from its exact, upper-case name; anything else has none")
    func methodBits() {
        for (index, name) in MethodSet.names.enumerated() {
            #expect(MethodSet(method: name)?.rawValue == 1 << UInt8(index), "\(name)")
            #expect(Array(name.utf8).withUnsafeBufferPointer { MethodSet(methodBytes: $0) }?.rawValue == 1 << UInt8(index))
        }
        for name in ["get", "Get", "GETS", "GE", "", "PROPFIND", "OPTIONSX", "POST\u{0}", "DELETE "] {
            #expect(MethodSet(method: name) == nil, "\(name)")
        }
    }

    @Test("SHA-256 matches the FIPS 180-2 test vector")
    func sha256() {
        let hex = SHA256.hash(Array("abc".utf8)).map { String($0, radix: 16).leftPadded(to: 2) }.joined()
        #expect(hex == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
    }

    @Test("wrong magic, unknown version, bad checksum and truncation each give their one-line error")
    func refusals() {
        var bad = forexBytes
        bad[1] = 0x00
        #expect(throws: ArtifactError.badMagic) { try Artifact.decode(bad) }
        var version = forexBytes
        version[8] = 9
        #expect(throws: ArtifactError.unsupportedVersion(9)) { try Artifact.decode(version) }
        var flipped = forexBytes
        flipped[forexBytes.count - 10] ^= 0x40
        #expect(throws: ArtifactError.checksumMismatch) { try Artifact.decode(flipped) }
        #expect(throws: ArtifactError.self) { try Artifact.decode(Array(forexBytes.prefix(forexBytes.count / 2))) }
        #expect(throws: ArtifactError.badMagic) { try Artifact.decode([]) }
        #expect("\(ArtifactError.checksumMismatch)" == "artifact checksum does not match its body (corrupted or edited)")
    }

    @Test("1,000 random corruptions: each is refused or decodes to a verified artifact, never a crash")
    func corruptions() {
        // The helper itself: resealing an intact artifact leaves it valid, and a resealed
        // body edit gets past the checksum (so the structural checks are what refuse it).
        #expect((try? Artifact.decode(resealed(forexBytes))) != nil)
        var probe = forexBytes
        probe.append(0)
        #expect(throws: ArtifactError.malformed("bytes after the last section")) { try Artifact.decode(resealed(probe)) }
        var generator = SeededGenerator(state: 2026)
        var refusedByChecksum = 0
        var refusedByStructure = 0
        for round in 0..<1_000 {
            var bytes = forexBytes
            // Corruptions land in the body: the header has its own exact checks above.
            switch round % 4 {
            case 0:
                for _ in 0..<Int.random(in: 1...8, using: &generator) {
                    bytes[Int.random(in: ArtifactHeader.size..<bytes.count, using: &generator)] ^= UInt8(1) << UInt8.random(in: 0...7, using: &generator)
                }
            case 1:
                bytes.removeSubrange(Int.random(in: ArtifactHeader.size..<bytes.count, using: &generator)...)
            case 2:
                // An inflated length or count: four bytes somewhere in the body set to a huge value.
                let at = Int.random(in: ArtifactHeader.size..<(bytes.count - 4), using: &generator)
                bytes.replaceSubrange(at..<(at + 4), with: [0xFF, 0xFF, 0xFF, UInt8.random(in: 0x00...0x7F, using: &generator)])
            default:
                let at = Int.random(in: ArtifactHeader.size..<bytes.count, using: &generator)
                bytes.insert(contentsOf: (0..<Int.random(in: 1...16, using: &generator)).map { _ in UInt8.random(in: 0...255, using: &generator) }, at: at)
            }
            do {
                _ = try Artifact.decode(bytes)
                Issue.record("round \(round): an unresealed corruption decoded")
            } catch {
                refusedByChecksum += 1
            }
            // Reseal so the hash matches and the decoder's own checks have to catch it.
            do {
                let artifact = try Artifact.decode(resealed(bytes))
                try artifact.verify()
            } catch {
                refusedByStructure += 1
            }
        }
        #expect(refusedByChecksum == 1_000)
        #expect(refusedByStructure > 900, "only \(refusedByStructure) resealed corruptions were refused")
    }

    @Test("a decoded artifact's verifier refuses bad programs", arguments: [
        "backward jump", "operand out of range", "missing terminal", "stack underflow", "bad leaf route",
    ])
    func verifier(kind: String) throws {
        var artifact = try Artifact.decode(forexBytes)
        let route = artifact.routes[0]
        let start = Int(route.programStart)
        switch kind {
        case "backward jump":
            artifact.code[start + 1] = Instruction(.jumpIfTrue, UInt32(start), 0)
        case "operand out of range":
            artifact.code[start] = Instruction(.pushConstant, 9_999, 0)
        case "missing terminal":
            artifact.code[start + Int(route.programLength) - 1] = Instruction(.not)
        case "stack underflow":
            artifact.code[start] = Instruction(.equal)
        default:
            artifact.routing.leaves[0].route = 9_999
        }
        #expect(throws: ArtifactError.self) { try artifact.verify() }
        // Encoded and decoded again, the bad artifact is refused at load.
        #expect(throws: ArtifactError.self) { try Artifact.decode(artifact.encoded()) }
    }
}
