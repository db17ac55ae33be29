import Testing
@testable import Runtime

/// Who the client is behind proxies: only trusted peers may say.
@Suite("Trusted proxies")
struct TrustedProxiesTests {
    @Test("CIDR ranges match IPv4 and IPv6 addresses by prefix")
    func ranges() throws {
        let trusted = try TrustedProxies(["10.0.0.0/8", "192.168.1.10", "fd00::/8"])
        #expect(trusted.contains("10.200.3.4") && trusted.contains("192.168.1.10") && trusted.contains("fd12::1"))
        #expect(!trusted.contains("11.0.0.1") && !trusted.contains("192.168.1.11") && !trusted.contains("fe80::1") && !trusted.contains("junk"))
        #expect(throws: KeyError.self) { try TrustedProxies(["10.0.0.0/33"]) }
        #expect(throws: KeyError.self) { try TrustedProxies(["proxy.internal"]) }
    }

    @Test("The client is the rightmost untrusted hop, and only a trusted peer is believed")
    func client() throws {
        let trusted = try TrustedProxies(["10.0.0.0/8"])
        #expect(trusted.client(peer: "10.0.0.5", forwardedFor: "203.0.113.9, 10.1.1.1") == "203.0.113.9")
        // A client cannot hide behind a spoofed leftmost entry.
        #expect(trusted.client(peer: "10.0.0.5", forwardedFor: "1.2.3.4, 198.51.100.20, 10.1.1.1") == "198.51.100.20")
        #expect(trusted.client(peer: "198.51.100.7", forwardedFor: "203.0.113.9") == nil)
        #expect(trusted.client(peer: "10.0.0.5", forwardedFor: "not-an-ip") == nil)
        #expect(TrustedProxies.none.client(peer: "10.0.0.5", forwardedFor: "203.0.113.9") == nil)
    }
}
