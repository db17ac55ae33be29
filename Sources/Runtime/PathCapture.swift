/// Where a path parameter's value lies in the request path, as byte offsets.
public struct PathCapture: Sendable, Hashable {
    public var start: Int32
    public var end: Int32

    public init(start: Int32 = 0, end: Int32 = 0) {
        self.start = start
        self.end = end
    }
}

/// The router's answer.
public enum RouteLookup: Sendable, Hashable {
    /// Route index, and how many captures were written.
    case matched(route: Int, captures: Int)
    /// The path exists, but not for this method: the Allow set.
    case methodNotAllowed(allowed: MethodSetBits)
    case notFound
}

/// Method bits as the artifact stores them (see `MethodSet`).
public typealias MethodSetBits = UInt8
