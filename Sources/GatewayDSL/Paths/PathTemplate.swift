/// A route's path: `/api/v1/quotes/{pair:[A-Z]{6}}`, `/static/{rest...}`.
///
/// A parameter fills a whole segment. The routing precedence the compiler applies
/// follows the segment kinds: static, then constrained parameter, then parameter,
/// then wildcard tail (which may only come last).
public struct PathTemplate: Sendable, Hashable, CustomStringConvertible {
    public enum Segment: Sendable, Hashable {
        /// Matches exactly this text.
        case literal(String)
        /// Matches any one non-empty segment.
        case parameter(name: String)
        /// Matches one segment the constraint accepts.
        case constrained(name: String, constraint: PathConstraint)
        /// Matches one or more remaining segments; only last.
        case wildcard(name: String)

        public var parameterName: String? {
            switch self {
            case .literal: nil
            case .parameter(let name), .constrained(let name, _), .wildcard(let name): name
            }
        }
    }

    public var segments: [Segment]
    /// Where each segment begins in the spec, for diagnostics.
    public var segmentLocations: [SourceLocation]

    public init(segments: [Segment], segmentLocations: [SourceLocation]) {
        self.segments = segments
        self.segmentLocations = segmentLocations
    }

    public var parameterNames: [String] { segments.compactMap(\.parameterName) }

    public var description: String {
        "/" + segments.map { segment in
            switch segment {
            case .literal(let text): text
            case .parameter(let name): "{\(name)}"
            case .constrained(let name, let constraint): "{\(name):\(constraint)}"
            case .wildcard(let name): "{\(name)...}"
            }
        }.joined(separator: "/")
    }

    public static func == (lhs: PathTemplate, rhs: PathTemplate) -> Bool { lhs.segments == rhs.segments }
    public func hash(into hasher: inout Hasher) { hasher.combine(segments) }
}
