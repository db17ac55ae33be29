import Testing
@testable import Runtime

@Suite("Known headers: a request's headers read by position")
struct KnownHeadersTests {
    let head = RequestHead(method: "POST", target: "/orders", headers: [
        ("Host", "api.example"), ("X-User-Id", "forged"), ("Content-Type", "application/json"), ("cookie", "a=1"),
        ("content-type", "text/plain"), ("Accept", "*/*"), ("Connection", "keep-alive"),
    ])

    @Test("each known name finds its first line, in any case the client sent")
    func firstLine() {
        #expect(head.header(.host) == "api.example")
        #expect(head.header(.contentType) == "application/json")
        #expect(head.header(.cookie) == "a=1")
        #expect(head.header(.connection) == "keep-alive")
    }

    @Test("an absent name is nil, and agrees with the lookup by name")
    func absent() {
        #expect(head.header(.origin) == nil && head.header(.contentLength) == nil && head.header(.requestID) == nil)
        for name in KnownHeaders.Name.allCases { #expect(head.header(name) == head.header(name.text), "\(name.text)") }
    }

    @Test("the lines never forwarded as sent are marked: identity, hop-by-hop, Host")
    func replacedUpstream() {
        let replaced = head.replacedUpstream
        #expect((0..<7).filter { replaced.contains($0) } == [0, 1, 6])
    }

    @Test("changing the headers finds them again")
    func reindexedOnChange() {
        var changed = head
        changed.headers = [("origin", "https://app.example"), ("x-roles", "admin")]
        #expect(changed.header(.origin) == "https://app.example" && changed.header(.host) == nil)
        #expect(changed.replacedUpstream.contains(1) && !changed.replacedUpstream.contains(0))
        #expect(head.header(.host) == "api.example")
    }

    @Test("every known name present at once keeps its own position (four to a word, none overwriting another)")
    func allPresent() {
        let names = KnownHeaders.Name.allCases.reversed()
        let head = RequestHead(method: "GET", target: "/", headers: [("x-first", "0")] + names.map { ($0.text, "value of \($0.text)") })
        for name in names { #expect(head.header(name) == "value of \(name.text)", "\(name.text)") }
    }

    @Test("the table is aligned like ordinary data, so a request head's box is a plain malloc, not posix_memalign")
    func alignment() {
        #expect(MemoryLayout<KnownHeaders>.alignment <= 16)
    }

    @Test("every known name fits the position table, and every replaced name is marked")
    func table() {
        #expect(KnownHeaders.Name.allCases.count <= 16)
        let head = RequestHead(method: "GET", target: "/", headers: HeaderNames.replacedUpstream.map { ($0, "v") })
        #expect(HeaderNames.replacedUpstream.indices.allSatisfy { head.replacedUpstream.contains($0) })
    }
}
