/// `respond:`, a reply the gateway sends itself.
public struct FixedResponse: Sendable {
    public enum Body: Sendable {
        case none
        case text(String)
        /// Canonical JSON text (keys sorted), built from the YAML.
        case json(String)

        public var hasContent: Bool {
            if case .none = self { return false }
            return true
        }
    }

    public var status: Located<Int>
    public var body: Body
    public var headers: [(name: String, value: String)]
    public var location: SourceLocation
}
