/// Authentication settings. Secrets appear only as references (`env:NAME`,
/// `file:path`), which the runtime resolves at boot.
public struct AuthSettings: Sendable, Hashable, ArtifactCodable {
    public struct Issuer: Sendable, Hashable, ArtifactCodable {
        public enum KeyKind: UInt8, Sendable, Hashable { case secret = 0, pem = 1, jwks = 2 }

        public var name: String
        public var issuer: String
        public var audiences: [String]
        public var algorithms: [String]
        public var keyKind: KeyKind
        public var keyReference: String
        public var leewayMilliseconds: UInt32
        public var subjectClaim: String
        public var rolesClaim: String?
        public var scopesClaim: String?
        public var cookie: String?
        public var maxTokenBytes: UInt32

        public init(name: String, issuer: String, audiences: [String], algorithms: [String], keyKind: KeyKind, keyReference: String,
                    leewayMilliseconds: UInt32, subjectClaim: String, rolesClaim: String?, scopesClaim: String?, cookie: String?,
                    maxTokenBytes: UInt32) {
            self.name = name
            self.issuer = issuer
            self.audiences = audiences
            self.algorithms = algorithms
            self.keyKind = keyKind
            self.keyReference = keyReference
            self.leewayMilliseconds = leewayMilliseconds
            self.subjectClaim = subjectClaim
            self.rolesClaim = rolesClaim
            self.scopesClaim = scopesClaim
            self.cookie = cookie
            self.maxTokenBytes = maxTokenBytes
        }

        public func encode(to writer: inout SectionWriter) {
            writer.string(name); writer.string(issuer); writer.strings(audiences); writer.strings(algorithms)
            writer.bytes.u8(keyKind.rawValue); writer.string(keyReference); writer.bytes.u32(leewayMilliseconds)
            writer.string(subjectClaim); writer.optionalString(rolesClaim); writer.optionalString(scopesClaim)
            writer.optionalString(cookie); writer.bytes.u32(maxTokenBytes)
        }

        public init(from reader: inout SectionReader) throws(ArtifactError) {
            name = try reader.string(); issuer = try reader.string(); audiences = try reader.strings(); algorithms = try reader.strings()
            keyKind = try reader.enumeration(KeyKind.self); keyReference = try reader.string(); leewayMilliseconds = try reader.bytes.u32()
            subjectClaim = try reader.string(); rolesClaim = try reader.optionalString(); scopesClaim = try reader.optionalString()
            cookie = try reader.optionalString(); maxTokenBytes = try reader.bytes.u32()
        }
    }

    public struct APIKeys: Sendable, Hashable, ArtifactCodable {
        public var header: String
        public var storeReference: String
        public var pepperReference: String
        /// Plan name and the limit (index into the limits section) its keys get.
        public var plans: [Plan]

        public struct Plan: Sendable, Hashable, ArtifactCodable {
            public var name: String
            public var limit: UInt32

            public init(name: String, limit: UInt32) {
                self.name = name
                self.limit = limit
            }

            public func encode(to writer: inout SectionWriter) { writer.string(name); writer.bytes.u32(limit) }
            public init(from reader: inout SectionReader) throws(ArtifactError) {
                name = try reader.string(); limit = try reader.bytes.u32()
            }
        }

        public init(header: String, storeReference: String, pepperReference: String, plans: [Plan]) {
            self.header = header
            self.storeReference = storeReference
            self.pepperReference = pepperReference
            self.plans = plans
        }

        public func encode(to writer: inout SectionWriter) {
            writer.string(header); writer.string(storeReference); writer.string(pepperReference); writer.array(plans)
        }

        public init(from reader: inout SectionReader) throws(ArtifactError) {
            header = try reader.string(); storeReference = try reader.string(); pepperReference = try reader.string()
            plans = try reader.array(minimumSize: 8)
        }
    }

    public var issuers: [Issuer]
    public var apiKeys: APIKeys?

    public init(issuers: [Issuer], apiKeys: APIKeys?) {
        self.issuers = issuers
        self.apiKeys = apiKeys
    }

    public func encode(to writer: inout SectionWriter) { writer.array(issuers); writer.optional(apiKeys) }
    public init(from reader: inout SectionReader) throws(ArtifactError) {
        issuers = try reader.array(minimumSize: 30); apiKeys = try reader.optional()
    }
}
