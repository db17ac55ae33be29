/// `responses:`, the shape of what the gateway itself sends.
public struct ResponseFormat: Sendable {
    /// Base URI for problem+json `type` values; problems are `<base><slug>`.
    public var problemTypeBase: Located<String>?
    public var envelope: Envelope?

    public init(problemTypeBase: Located<String>? = nil, envelope: Envelope? = nil) {
        self.problemTypeBase = problemTypeBase
        self.envelope = envelope
    }

    /// The success envelope: `{"data": <upstream body>, "meta": {...}}`.
    public struct Envelope: Sendable, Hashable {
        public enum MetaField: String, Sendable, Hashable, CaseIterable {
            case requestId = "request-id"
            case timestamp
            case route
        }

        public var dataField: String
        public var meta: [MetaField]
        public var location: SourceLocation
    }
}
