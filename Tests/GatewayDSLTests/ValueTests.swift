import Testing
@testable import GatewayDSL

@Suite("Typed values")
struct ValueTests {
    @Test("durations", arguments: [("250ms", 250), ("5s", 5_000), ("1m", 60_000), ("2h", 7_200_000), ("1d", 86_400_000)])
    func durations(text: String, milliseconds: Int64) {
        #expect(SpecDuration(parsing: text)?.milliseconds == milliseconds)
        #expect(SpecDuration(parsing: text)?.description == text)
    }

    @Test("malformed durations", arguments: ["5", "-5s", "5 s", "1.5s", "5sec", "", "s", "99999999999999999999s"])
    func badDurations(text: String) {
        #expect(SpecDuration(parsing: text) == nil)
    }

    @Test("sizes use binary units")
    func sizes() {
        #expect(ByteSize(parsing: "64KiB")?.bytes == 65_536)
        #expect(ByteSize(parsing: "1MiB")?.bytes == 1_048_576)
        #expect(ByteSize(parsing: "512B")?.bytes == 512)
        #expect(ByteSize(parsing: "64KB") == nil)
        #expect(ByteSize(parsing: "64") == nil)
    }

    @Test("rates with periods and bursts")
    func rates() throws {
        let rate = try Rate.parse("1000/min burst 100").get()
        #expect(rate.count == 1000 && rate.period == .minute && rate.burst == 100)
        #expect(try Rate.parse("50/s").get().burst == 50)
        #expect(try Rate.parse("1000/min burst 20").get().burst == 20)
        #expect(try Rate.parse("10/h").get().description == "10/h")
        #expect(Rate.parse("0/s") == .failure(.zero))
        #expect(Rate.parse("5/s burst 0") == .failure(.zero))
        #expect(Rate.parse("5 per second") == .failure(.malformed))
        #expect(Rate.parse("-5/s") == .failure(.malformed))
        #expect(Rate.parse("5/fortnight") == .failure(.malformed))
    }

    @Test("secret references")
    func secrets() {
        #expect(SecretReference(parsing: "env:API_PEPPER") == .environment("API_PEPPER"))
        #expect(SecretReference(parsing: "file:keys/sso.pem") == .file("keys/sso.pem"))
        #expect(SecretReference(parsing: "env:") == nil)
        #expect(SecretReference(parsing: "env:1BAD") == nil)
        #expect(SecretReference(parsing: "env:has-dash") == nil)
        #expect(SecretReference(parsing: "plaintext") == nil)
    }

    @Test("endpoints")
    func endpoints() throws {
        let endpoint = try Endpoint.parse("http://pricing-1:8080/base/").get()
        #expect(endpoint.host == "pricing-1" && endpoint.port == 8080 && endpoint.basePath == "/base")
        #expect(try Endpoint.parse("https://api.example").get().port == 443)
        #expect(try Endpoint.parse("http://[::1]:9000").get().host == "::1")
        for bad in ["pricing:8080", "ftp://x:1", "http://user:pw@x:1", "http://x:0", "http://x:70000", "http://x/a?b", "http://"] {
            #expect((try? Endpoint.parse(bad).get()) == nil, "\(bad) should be refused")
        }
    }

    @Test("did-you-mean finds close words and ignores distant ones")
    func suggestions() {
        #expect(Suggestions.closest(to: "timout", in: SpecSchema.service) == "timeout")
        #expect(Suggestions.closest(to: "endpiont", in: SpecSchema.service + ["endpoints"]) == "endpoints")
        #expect(Suggestions.closest(to: "zzzzzz", in: SpecSchema.service) == nil)
    }
}
