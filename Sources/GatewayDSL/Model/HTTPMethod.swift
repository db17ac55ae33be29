/// A request method a route key may name.
public enum HTTPMethod: String, Sendable, Hashable, CaseIterable, Comparable {
    case get = "GET", head = "HEAD", post = "POST", put = "PUT", patch = "PATCH", delete = "DELETE", options = "OPTIONS"

    /// Safe methods (RFC 9110 9.2.1) need no CSRF protection.
    public var isSafe: Bool { self == .get || self == .head || self == .options }

    public static func < (lhs: HTTPMethod, rhs: HTTPMethod) -> Bool {
        allCases.firstIndex(of: lhs) ?? 0 < allCases.firstIndex(of: rhs) ?? 0
    }
}
