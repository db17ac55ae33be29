/// A role with its permissions already flattened through `inherits`.
public struct RoleEntry: Sendable, Hashable, ArtifactCodable {
    public var name: String
    /// Sorted, unique, including inherited permissions.
    public var permissions: [String]
    /// Index into the limits section, if the role has a limit.
    public var limit: UInt32?

    public init(name: String, permissions: [String], limit: UInt32?) {
        self.name = name
        self.permissions = permissions
        self.limit = limit
    }

    public func encode(to writer: inout SectionWriter) {
        writer.string(name); writer.strings(permissions)
        writer.bytes.bool(limit != nil)
        if let limit { writer.bytes.u32(limit) }
    }

    public init(from reader: inout SectionReader) throws(ArtifactError) {
        name = try reader.string(); permissions = try reader.strings()
        limit = try reader.bytes.bool() ? try reader.bytes.u32() : nil
    }
}

/// A rate limit: a rate, a burst, and what the bucket is keyed by.
public struct LimitEntry: Sendable, Hashable, ArtifactCodable {
    public enum Key: UInt8, Sendable, Hashable, CaseIterable {
        case principal = 0, apiKey = 1, ip = 2, route = 3, role = 4, plan = 5

        public var name: String {
            switch self {
            case .principal: "principal"
            case .apiKey: "api-key"
            case .ip: "ip"
            case .route: "route"
            case .role: "role"
            case .plan: "plan"
            }
        }
    }

    public var count: UInt32
    public var periodMilliseconds: UInt64
    public var burst: UInt32
    public var key: Key
    /// Names the bucket family: a route key, a role name or a plan name.
    public var scope: String
    /// When the shared rate-limit store cannot be reached: refuse (true) or let this
    /// instance enforce the limit alone (false).
    public var failClosed: Bool

    public init(count: UInt32, periodMilliseconds: UInt64, burst: UInt32, key: Key, scope: String, failClosed: Bool = false) {
        self.count = count
        self.periodMilliseconds = periodMilliseconds
        self.burst = burst
        self.key = key
        self.scope = scope
        self.failClosed = failClosed
    }

    public func encode(to writer: inout SectionWriter) {
        writer.bytes.u32(count); writer.bytes.u64(periodMilliseconds); writer.bytes.u32(burst)
        writer.bytes.u8(key.rawValue); writer.string(scope); writer.bytes.u8(failClosed ? 1 : 0)
    }

    public init(from reader: inout SectionReader) throws(ArtifactError) {
        count = try reader.bytes.u32(); periodMilliseconds = try reader.bytes.u64(); burst = try reader.bytes.u32()
        key = try reader.enumeration(Key.self); scope = try reader.string()
        switch try reader.bytes.u8() {
        case 0: failClosed = false
        case 1: failClosed = true
        default: throw .malformed("a rate limit's store-failure flag is neither 0 nor 1")
        }
        guard count > 0, burst > 0, periodMilliseconds > 0 else { throw .malformed("a rate limit allows nothing") }
    }
}
