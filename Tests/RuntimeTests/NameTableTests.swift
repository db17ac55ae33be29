import Testing
@testable import Runtime

/// The few names a request is checked against (replaced headers, roles, plans) are
/// found by length and comparison rather than by hashing.
@Suite("Name tables")
struct NameTableTests {
    static let roles = NameTable([(name: "trader", value: 1), (name: "viewer", value: 2), (name: "risk-engine", value: 3), (name: "trader", value: 9)])

    @Test("a name gives its value; names of the same length are told apart; the first entry of a name wins")
    func values() {
        #expect(Self.roles["trader"] == 1)
        #expect(Self.roles["viewer"] == 2)
        #expect(Self.roles["risk-engine"] == 3)
    }

    @Test("an unknown name, of a known length, another length, or longer than any, gives nothing")
    func absent() {
        #expect(Self.roles["tradex"] == nil)
        #expect(Self.roles["admin"] == nil)
        #expect(Self.roles["a-role-name-longer-than-any"] == nil)
        #expect(Self.roles[""] == nil)
        #expect(NameTable<Int>([])["trader"] == nil)
    }

    @Test("by bytes, names match in any ASCII case; by String, exactly")
    func caseInsensitiveBytes() {
        let headers = LengthTable(["content-length", "x-request-id"])
        for name in ["Content-Length", "X-REQUEST-ID", "content-length"] {
            var text = name
            #expect(text.withUTF8 { headers.contains(bytes: UnsafeRawBufferPointer($0)) }, "\(name)")
        }
        var other = "Content-Type"
        #expect(!other.withUTF8 { headers.contains(bytes: UnsafeRawBufferPointer($0)) })
        #expect(headers.contains("x-request-id") && !headers.contains("X-Request-Id"))
    }
}
