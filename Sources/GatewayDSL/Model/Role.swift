/// `roles.NAME`: what a principal with this role may do and how fast.
public struct Role: Sendable {
    public var name: Located<String>
    public var permissions: [Located<String>]
    /// Roles whose permissions this role also has.
    public var inherits: [Located<String>]
    /// The rate each principal with this role gets, across all routes.
    public var limit: Located<Rate>?
    public var description: String?
    public var location: SourceLocation
}
