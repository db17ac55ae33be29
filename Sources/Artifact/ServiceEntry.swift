/// A backend service as the runtime needs it.
public struct ServiceEntry: Sendable, Hashable, ArtifactCodable {
    public struct Endpoint: Sendable, Hashable, ArtifactCodable {
        public var https: Bool
        public var host: String
        public var port: UInt16
        public var basePath: String

        public init(https: Bool, host: String, port: UInt16, basePath: String) {
            self.https = https
            self.host = host
            self.port = port
            self.basePath = basePath
        }

        public func encode(to writer: inout SectionWriter) {
            writer.bytes.bool(https); writer.string(host); writer.bytes.u16(port); writer.string(basePath)
        }

        public init(from reader: inout SectionReader) throws(ArtifactError) {
            https = try reader.bytes.bool(); host = try reader.string(); port = try reader.bytes.u16(); basePath = try reader.string()
        }
    }

    public struct Retry: Sendable, Hashable, ArtifactCodable {
        public var attempts: UInt8
        public var onConnectError: Bool
        public var onTimeout: Bool
        public var onStatuses: [UInt16]
        public var idempotentOnly: Bool
        public var budgetPercent: UInt8

        public init(attempts: UInt8, onConnectError: Bool, onTimeout: Bool, onStatuses: [UInt16], idempotentOnly: Bool, budgetPercent: UInt8) {
            self.attempts = attempts
            self.onConnectError = onConnectError
            self.onTimeout = onTimeout
            self.onStatuses = onStatuses
            self.idempotentOnly = idempotentOnly
            self.budgetPercent = budgetPercent
        }

        public func encode(to writer: inout SectionWriter) {
            writer.bytes.u8(attempts); writer.bytes.bool(onConnectError); writer.bytes.bool(onTimeout)
            writer.bytes.array(onStatuses) { $0.u16($1) }
            writer.bytes.bool(idempotentOnly); writer.bytes.u8(budgetPercent)
        }

        public init(from reader: inout SectionReader) throws(ArtifactError) {
            attempts = try reader.bytes.u8(); onConnectError = try reader.bytes.bool(); onTimeout = try reader.bytes.bool()
            onStatuses = try reader.bytes.array(minimumSize: 2) { (r: inout ByteReader) throws(ArtifactError) in try r.u16() }
            idempotentOnly = try reader.bytes.bool(); budgetPercent = try reader.bytes.u8()
        }
    }

    public struct Health: Sendable, Hashable, ArtifactCodable {
        public var path: String
        public var everyMilliseconds: UInt32
        public var timeoutMilliseconds: UInt32
        public var healthy: UInt16
        public var unhealthy: UInt16

        public init(path: String, everyMilliseconds: UInt32, timeoutMilliseconds: UInt32, healthy: UInt16, unhealthy: UInt16) {
            self.path = path
            self.everyMilliseconds = everyMilliseconds
            self.timeoutMilliseconds = timeoutMilliseconds
            self.healthy = healthy
            self.unhealthy = unhealthy
        }

        public func encode(to writer: inout SectionWriter) {
            writer.string(path); writer.bytes.u32(everyMilliseconds); writer.bytes.u32(timeoutMilliseconds)
            writer.bytes.u16(healthy); writer.bytes.u16(unhealthy)
        }

        public init(from reader: inout SectionReader) throws(ArtifactError) {
            path = try reader.string(); everyMilliseconds = try reader.bytes.u32(); timeoutMilliseconds = try reader.bytes.u32()
            healthy = try reader.bytes.u16(); unhealthy = try reader.bytes.u16()
        }
    }

    public struct Breaker: Sendable, Hashable, ArtifactCodable {
        public var failures: UInt16
        public var cooldownMilliseconds: UInt32

        public init(failures: UInt16, cooldownMilliseconds: UInt32) {
            self.failures = failures
            self.cooldownMilliseconds = cooldownMilliseconds
        }

        public func encode(to writer: inout SectionWriter) { writer.bytes.u16(failures); writer.bytes.u32(cooldownMilliseconds) }
        public init(from reader: inout SectionReader) throws(ArtifactError) {
            failures = try reader.bytes.u16(); cooldownMilliseconds = try reader.bytes.u32()
        }
    }

    public enum Balance: UInt8, Sendable, Hashable { case roundRobin = 0, leastRequest = 1 }

    public var name: String
    public var endpoints: [Endpoint]
    public var balance: Balance
    public var connectTimeoutMilliseconds: UInt32
    public var timeoutMilliseconds: UInt32
    public var retry: Retry?
    public var health: Health?
    public var breaker: Breaker?

    public init(name: String, endpoints: [Endpoint], balance: Balance, connectTimeoutMilliseconds: UInt32, timeoutMilliseconds: UInt32,
                retry: Retry?, health: Health?, breaker: Breaker?) {
        self.name = name
        self.endpoints = endpoints
        self.balance = balance
        self.connectTimeoutMilliseconds = connectTimeoutMilliseconds
        self.timeoutMilliseconds = timeoutMilliseconds
        self.retry = retry
        self.health = health
        self.breaker = breaker
    }

    public func encode(to writer: inout SectionWriter) {
        writer.string(name); writer.array(endpoints); writer.bytes.u8(balance.rawValue)
        writer.bytes.u32(connectTimeoutMilliseconds); writer.bytes.u32(timeoutMilliseconds)
        writer.optional(retry); writer.optional(health); writer.optional(breaker)
    }

    public init(from reader: inout SectionReader) throws(ArtifactError) {
        name = try reader.string(); endpoints = try reader.array(minimumSize: 11); balance = try reader.enumeration(Balance.self)
        connectTimeoutMilliseconds = try reader.bytes.u32(); timeoutMilliseconds = try reader.bytes.u32()
        retry = try reader.optional(); health = try reader.optional(); breaker = try reader.optional()
    }
}
