/// A backend address: `http://host:port` or `https://host:port`, with an optional base path.
public struct Endpoint: Sendable, Hashable, CustomStringConvertible {
    public enum Scheme: String, Sendable, Hashable { case http, https }

    public var scheme: Scheme
    public var host: String
    public var port: Int
    public var basePath: String

    public init(scheme: Scheme, host: String, port: Int, basePath: String = "") {
        self.scheme = scheme
        self.host = host
        self.port = port
        self.basePath = basePath
    }

    public var description: String { "\(scheme.rawValue)://\(hostForURL):\(port)\(basePath)" }

    private var hostForURL: String { host.contains(":") ? "[\(host)]" : host }

    /// Why a text is not an endpoint, in words fit for a diagnostic.
    public static func parse(_ text: String) -> Result<Endpoint, EndpointError> {
        guard let separator = text.range(of: "://") else { return .failure(.init("missing `http://` or `https://`")) }
        guard let scheme = Scheme(rawValue: String(text[..<separator.lowerBound]).lowercased()) else {
            return .failure(.init("scheme must be http or https"))
        }
        let rest = text[separator.upperBound...]
        let authorityEnd = rest.firstIndex(of: "/") ?? rest.endIndex
        let authority = rest[..<authorityEnd]
        let path = String(rest[authorityEnd...])
        if authority.contains("@") { return .failure(.init("credentials in an endpoint URL are not allowed; use a secret reference")) }
        if path.contains("?") || path.contains("#") { return .failure(.init("an endpoint may have a base path but no query or fragment")) }
        guard let (host, port) = splitAuthority(authority, defaultPort: scheme == .https ? 443 : 80) else {
            return .failure(.init("expected `host` or `host:port` with a port from 1 to 65535"))
        }
        let basePath = path.hasSuffix("/") ? String(path.dropLast()) : path
        return .success(Endpoint(scheme: scheme, host: host, port: port, basePath: basePath))
    }

    private static func splitAuthority(_ authority: Substring, defaultPort: Int) -> (String, Int)? {
        var host = authority
        var port = defaultPort
        if authority.hasPrefix("[") {
            guard let close = authority.firstIndex(of: "]") else { return nil }
            host = authority[authority.index(after: authority.startIndex)..<close]
            let after = authority[authority.index(after: close)...]
            if !after.isEmpty {
                guard after.hasPrefix(":"), let value = Int(after.dropFirst()) else { return nil }
                port = value
            }
        } else if let colon = authority.lastIndex(of: ":") {
            host = authority[..<colon]
            guard let value = Int(authority[authority.index(after: colon)...]) else { return nil }
            port = value
        }
        let allowed = host.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || "-._:".contains($0)) }
        guard !host.isEmpty, allowed, (1...65535).contains(port) else { return nil }
        return (String(host), port)
    }
}

public struct EndpointError: Error, Equatable {
    public var reason: String
    init(_ reason: String) { self.reason = reason }
}
