/// Gateway-wide settings: defaults, CORS and CSRF policies, security headers,
/// the problem and envelope formats, and the fixed responses routes refer to.
public struct GatewaySettings: Sendable, Hashable, ArtifactCodable {
    public struct Defaults: Sendable, Hashable, ArtifactCodable {
        public var timeoutMilliseconds: UInt32
        public var connectTimeoutMilliseconds: UInt32
        public var bodyLimit: UInt64
        public var headerLimit: UInt32
        public var headerTimeoutMilliseconds: UInt32
        public var idleTimeoutMilliseconds: UInt32
        public var maxConnections: UInt32

        public init(timeoutMilliseconds: UInt32, connectTimeoutMilliseconds: UInt32, bodyLimit: UInt64, headerLimit: UInt32,
                    headerTimeoutMilliseconds: UInt32, idleTimeoutMilliseconds: UInt32, maxConnections: UInt32) {
            self.timeoutMilliseconds = timeoutMilliseconds
            self.connectTimeoutMilliseconds = connectTimeoutMilliseconds
            self.bodyLimit = bodyLimit
            self.headerLimit = headerLimit
            self.headerTimeoutMilliseconds = headerTimeoutMilliseconds
            self.idleTimeoutMilliseconds = idleTimeoutMilliseconds
            self.maxConnections = maxConnections
        }

        public func encode(to writer: inout SectionWriter) {
            writer.bytes.u32(timeoutMilliseconds); writer.bytes.u32(connectTimeoutMilliseconds); writer.bytes.u64(bodyLimit)
            writer.bytes.u32(headerLimit); writer.bytes.u32(headerTimeoutMilliseconds); writer.bytes.u32(idleTimeoutMilliseconds)
            writer.bytes.u32(maxConnections)
        }

        public init(from reader: inout SectionReader) throws(ArtifactError) {
            timeoutMilliseconds = try reader.bytes.u32(); connectTimeoutMilliseconds = try reader.bytes.u32(); bodyLimit = try reader.bytes.u64()
            headerLimit = try reader.bytes.u32(); headerTimeoutMilliseconds = try reader.bytes.u32(); idleTimeoutMilliseconds = try reader.bytes.u32()
            maxConnections = try reader.bytes.u32()
        }
    }

    public struct CORS: Sendable, Hashable, ArtifactCodable {
        public var origins: [String]
        public var methods: [String]
        public var headers: [String]
        public var expose: [String]
        public var credentials: Bool
        public var maxAgeSeconds: UInt32

        public init(origins: [String], methods: [String], headers: [String], expose: [String], credentials: Bool, maxAgeSeconds: UInt32) {
            self.origins = origins
            self.methods = methods
            self.headers = headers
            self.expose = expose
            self.credentials = credentials
            self.maxAgeSeconds = maxAgeSeconds
        }

        public func encode(to writer: inout SectionWriter) {
            writer.strings(origins); writer.strings(methods); writer.strings(headers); writer.strings(expose)
            writer.bytes.bool(credentials); writer.bytes.u32(maxAgeSeconds)
        }

        public init(from reader: inout SectionReader) throws(ArtifactError) {
            origins = try reader.strings(); methods = try reader.strings(); headers = try reader.strings(); expose = try reader.strings()
            credentials = try reader.bytes.bool(); maxAgeSeconds = try reader.bytes.u32()
        }
    }

    public struct CSRF: Sendable, Hashable, ArtifactCodable {
        public var doubleSubmit: Bool
        public var cookie: String
        public var header: String
        public var trustedOrigins: [String]

        public init(doubleSubmit: Bool, cookie: String, header: String, trustedOrigins: [String]) {
            self.doubleSubmit = doubleSubmit
            self.cookie = cookie
            self.header = header
            self.trustedOrigins = trustedOrigins
        }

        public func encode(to writer: inout SectionWriter) {
            writer.bytes.bool(doubleSubmit); writer.string(cookie); writer.string(header); writer.strings(trustedOrigins)
        }

        public init(from reader: inout SectionReader) throws(ArtifactError) {
            doubleSubmit = try reader.bytes.bool(); cookie = try reader.string(); header = try reader.string()
            trustedOrigins = try reader.strings()
        }
    }

    public struct Header: Sendable, Hashable, ArtifactCodable {
        public var name: String
        public var value: String

        public init(name: String, value: String) {
            self.name = name
            self.value = value
        }

        public func encode(to writer: inout SectionWriter) { writer.string(name); writer.string(value) }
        public init(from reader: inout SectionReader) throws(ArtifactError) { name = try reader.string(); value = try reader.string() }
    }

    public struct FixedResponse: Sendable, Hashable, ArtifactCodable {
        public var status: UInt16
        public var contentType: String?
        public var body: [UInt8]
        public var headers: [Header]

        public init(status: UInt16, contentType: String?, body: [UInt8], headers: [Header]) {
            self.status = status
            self.contentType = contentType
            self.body = body
            self.headers = headers
        }

        public func encode(to writer: inout SectionWriter) {
            writer.bytes.u16(status); writer.optionalString(contentType); writer.bytes.blob(body); writer.array(headers)
        }

        public init(from reader: inout SectionReader) throws(ArtifactError) {
            status = try reader.bytes.u16(); contentType = try reader.optionalString(); body = try reader.bytes.blob()
            headers = try reader.array(minimumSize: 8)
            guard (100...599).contains(status) else { throw .malformed("fixed response status \(status)") }
        }
    }

    public struct Envelope: Sendable, Hashable, ArtifactCodable {
        public var dataField: String
        public var meta: [String]

        public init(dataField: String, meta: [String]) {
            self.dataField = dataField
            self.meta = meta
        }

        public func encode(to writer: inout SectionWriter) { writer.string(dataField); writer.strings(meta) }
        public init(from reader: inout SectionReader) throws(ArtifactError) { dataField = try reader.string(); meta = try reader.strings() }
    }

    public var name: String
    public var defaults: Defaults
    public var cors: [CORS]
    public var csrf: [CSRF]
    public var securityHeaders: [Header]
    public var problemTypeBase: String
    public var envelope: Envelope?
    public var fixedResponses: [FixedResponse]

    public init(name: String, defaults: Defaults, cors: [CORS], csrf: [CSRF], securityHeaders: [Header], problemTypeBase: String,
                envelope: Envelope?, fixedResponses: [FixedResponse]) {
        self.name = name
        self.defaults = defaults
        self.cors = cors
        self.csrf = csrf
        self.securityHeaders = securityHeaders
        self.problemTypeBase = problemTypeBase
        self.envelope = envelope
        self.fixedResponses = fixedResponses
    }

    public func encode(to writer: inout SectionWriter) {
        writer.string(name); defaults.encode(to: &writer); writer.array(cors); writer.array(csrf); writer.array(securityHeaders)
        writer.string(problemTypeBase); writer.optional(envelope); writer.array(fixedResponses)
    }

    public init(from reader: inout SectionReader) throws(ArtifactError) {
        name = try reader.string(); defaults = try Defaults(from: &reader); cors = try reader.array(minimumSize: 21)
        csrf = try reader.array(minimumSize: 13); securityHeaders = try reader.array(minimumSize: 8)
        problemTypeBase = try reader.string(); envelope = try reader.optional(); fixedResponses = try reader.array(minimumSize: 11)
    }
}
