/// The route's explicit auth decision. Every route must make one.
public enum Access: Sendable {
    /// `public: true`: no credentials needed.
    case isPublic(SourceLocation)
    /// Any authenticated principal (`allow: authenticated`).
    case authenticated(SourceLocation)
    /// A principal with at least one of the roles, or all of the permissions.
    case restricted(roles: [Located<String>], permissions: [Located<String>], location: SourceLocation)
    /// No decision written; an error the validator reports.
    case unspecified

    public var isPublic: Bool {
        if case .isPublic = self { return true }
        return false
    }

    public var location: SourceLocation? {
        switch self {
        case .isPublic(let l), .authenticated(let l), .restricted(_, _, let l): l
        case .unspecified: nil
        }
    }
}
