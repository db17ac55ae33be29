import Foundation
import Testing
@testable import Runtime

/// The corpus is the table in docs/path-normalization.md: the docs are the test.
@Suite("Path normalization")
struct PathNormalizationTests {
    struct Row: CustomTestStringConvertible, Sendable {
        var target: [UInt8]
        var expected: String
        var shown: String
        var testDescription: String { "\(shown) -> \(expected)" }
    }

    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    static var corpus: [Row] {
        let text = String(decoding: FileManager.default.contents(atPath: root.appendingPathComponent("docs/path-normalization.md").path) ?? Data(), as: UTF8.self)
        return text.split(separator: "\n").compactMap { line -> Row? in
            let cells = line.split(separator: "|", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
            guard cells.count == 4, cells[1].hasPrefix("`"), cells[1] != "`request target`" else { return nil }
            let target = String(cells[1].dropFirst().dropLast())
            let expected = cells[2].hasPrefix("`") ? String(cells[2].dropFirst().dropLast()) : cells[2]
            return Row(target: unescape(target), expected: expected, shown: target)
        }
    }

    /// `\xNN` stands for the raw byte NN.
    static func unescape(_ text: String) -> [UInt8] {
        var bytes: [UInt8] = []
        var characters = Array(text.utf8)[...]
        while let first = characters.first {
            if first == UInt8(ascii: "\\"), characters.count >= 4, characters.dropFirst().first == UInt8(ascii: "x"),
               let value = UInt8(String(decoding: characters.dropFirst(2).prefix(2), as: UTF8.self), radix: 16) {
                bytes.append(value)
                characters = characters.dropFirst(4)
            } else {
                bytes.append(first)
                characters = characters.dropFirst()
            }
        }
        return bytes
    }

    @Test("the corpus has at least 50 hostile and ordinary targets")
    func size() {
        #expect(Self.corpus.count >= 50)
    }

    @Test("each target is normalized to the documented path or refused", arguments: corpus)
    func row(_ row: Row) {
        let result = PathNormalizer().normalize(row.target)
        switch result {
        case .success(let normalized):
            #expect(normalized.pathString == row.expected)
        case .failure(.badRequest):
            #expect(row.expected == "400")
        case .failure(.tooLong):
            #expect(row.expected == "414")
        }
    }

    @Test("normalizing is idempotent: a normalized path normalizes to itself", arguments: corpus)
    func idempotent(_ row: Row) throws {
        guard case .success(let once) = PathNormalizer().normalize(row.target) else { return }
        guard case .success(let twice) = PathNormalizer().normalize(once.path) else {
            Issue.record("a normalized path was refused: \(once.pathString)")
            return
        }
        #expect(twice.path == once.path)
    }

    @Test("an already-normal path taken in one scan comes out as the segment-by-segment normalizer makes it")
    func oneScanAgrees() {
        // Targets built from the bytes whose rules differ: plain, `/`, `.`, `%`, `;`, `?`, `#`.
        let alphabet = Array("a/.%2F;?#Z".utf8)
        var generator = SystemRandomNumberGenerator()
        let normalizer = PathNormalizer()
        func outcome(_ result: Swift.Result<PathNormalizer.Normalized, PathNormalizer.Failure>) -> String {
            switch result {
            case .success(let normalized): "path " + String(decoding: normalized.path, as: UTF8.self) + " query " + (normalized.query.map { String(decoding: $0, as: UTF8.self) } ?? "none")
            case .failure(let failure): "\(failure)"
            }
        }
        for _ in 0..<20_000 {
            let target = [UInt8(ascii: "/")] + (0..<Int.random(in: 0...12, using: &generator)).map { _ in alphabet.randomElement(using: &generator) ?? 0 }
            let scanned = target.withUnsafeBufferPointer { normalizer.withNormalized($0, outcome) }
            let segmented = target.withUnsafeBufferPointer { normalizer.withNormalizedBySegments($0, outcome) }
            #expect(scanned == segmented, "\(String(decoding: target, as: UTF8.self))")
            if scanned != segmented { break }
        }
    }

    @Test("targets over the limit get 414")
    func tooLong() {
        #expect(PathNormalizer(maxLength: 16).normalize("/" + String(repeating: "a", count: 16)) == .failure(.tooLong))
    }

    @Test("the query is kept as sent")
    func query() throws {
        let result = try PathNormalizer().normalize("/a/./b?x=%2F&y=..").get()
        #expect(result.pathString == "/a/b")
        #expect(result.query == Array("x=%2F&y=..".utf8))
    }
}
