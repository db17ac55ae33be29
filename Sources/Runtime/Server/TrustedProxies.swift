#if canImport(Glibc)
import Glibc
#endif

/// Which peers may tell the gateway who the client is. Only a connection from a
/// trusted proxy has its `X-Forwarded-For` (and `-Proto`, `-Host`) honoured; from
/// anyone else those headers are dropped like any other spoofable identity.
public struct TrustedProxies: Sendable, Equatable {
    struct Network: Sendable, Equatable {
        var address: [UInt8]
        var prefix: Int
    }

    private let networks: [Network]

    /// `cidrs` like `10.0.0.0/8`, `192.168.1.10`, `fd00::/8`; a bad entry is an error naming it.
    public init(_ cidrs: [String]) throws(KeyError) {
        var networks: [Network] = []
        for cidr in cidrs {
            let parts = cidr.split(separator: "/", maxSplits: 1)
            guard let address = Self.parse(String(parts[0])) else { throw KeyError("\(cidr) is not an IP address or CIDR range") }
            let prefix = parts.count == 2 ? Int(parts[1]) : address.count * 8
            guard let prefix, (0...(address.count * 8)).contains(prefix) else { throw KeyError("\(cidr) has a bad prefix length") }
            networks.append(Network(address: address, prefix: prefix))
        }
        self.networks = networks
    }

    public static let none = TrustedProxies()
    private init() { networks = [] }

    public var isEmpty: Bool { networks.isEmpty }

    public func contains(_ text: String) -> Bool {
        guard !networks.isEmpty, let address = Self.parse(text) else { return false }
        return networks.contains { network in
            guard network.address.count == address.count else { return false }
            let whole = network.prefix / 8, rest = network.prefix % 8
            guard address[..<whole] == network.address[..<whole] else { return false }
            guard rest > 0 else { return true }
            let mask = UInt8(0xFF) << (8 - rest)
            return address[whole] & mask == network.address[whole] & mask
        }
    }

    /// The client behind a chain of proxies: walking `X-Forwarded-For` from the right
    /// (the hop nearest the gateway), the first address that is not a trusted proxy.
    /// Nil when the peer is not trusted, or the header says nothing usable.
    public func client(peer: String, forwardedFor: String?) -> String? {
        guard contains(peer), let forwardedFor else { return nil }
        let hops = forwardedFor.split(separator: ",").map { $0.trimmingSpaces() }.reversed()
        for hop in hops {
            let address = String(hop)
            guard Self.parse(address) != nil else { return nil }
            if !contains(address) { return address }
        }
        return hops.last.map(String.init)
    }

    /// 4 or 16 bytes, or nil.
    static func parse(_ text: String) -> [UInt8]? {
        var v4 = in_addr()
        if inet_pton(AF_INET, text, &v4) == 1 { return withUnsafeBytes(of: v4) { Array($0) } }
        var v6 = in6_addr()
        if inet_pton(AF_INET6, text, &v6) == 1 { return withUnsafeBytes(of: v6) { Array($0) } }
        return nil
    }
}
