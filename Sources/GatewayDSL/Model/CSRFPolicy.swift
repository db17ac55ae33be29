/// `csrf:`, protection for cookie-authenticated requests with unsafe methods.
public struct CSRFPolicy: Sendable, Hashable {
    public enum Mode: String, Sendable, Hashable, CaseIterable {
        /// `Origin` (or `Sec-Fetch-Site`) must name a trusted origin.
        case origin
        /// A cookie's value must be echoed in a header.
        case doubleSubmit = "double-submit"
    }

    public var mode: Mode
    public var cookie: String
    public var header: String
    /// Origins accepted besides the CORS origins.
    public var trustedOrigins: [Located<String>]
    public var location: SourceLocation
}
