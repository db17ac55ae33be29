/// A compiled gateway: everything the runtime needs, and nothing from the specs that
/// it does not (no YAML, no secrets). Immutable once decoded and verified.
public struct Artifact: Sendable, Hashable {
    public var header: ArtifactHeader?
    public var strings: [String]
    public var constants: [Constant]
    public var routing: RoutingTable
    public var code: [Instruction]
    /// One entry per instruction: where in the specs it came from.
    public var lines: [LineEntry]
    public var services: [ServiceEntry]
    public var auth: AuthSettings
    public var roles: [RoleEntry]
    public var limits: [LimitEntry]
    public var routes: [RouteEntry]
    public var settings: GatewaySettings

    public init(strings: [String], constants: [Constant], routing: RoutingTable, code: [Instruction], lines: [LineEntry],
                services: [ServiceEntry], auth: AuthSettings, roles: [RoleEntry], limits: [LimitEntry], routes: [RouteEntry],
                settings: GatewaySettings) {
        self.header = nil
        self.strings = strings
        self.constants = constants
        self.routing = routing
        self.code = code
        self.lines = lines
        self.services = services
        self.auth = auth
        self.roles = roles
        self.limits = limits
        self.routes = routes
        self.settings = settings
    }

    /// Section identifiers, in the order sections are laid out.
    public enum Section: UInt32, CaseIterable, Sendable {
        case strings = 1, constants, routing, code, lines, services, auth, roles, limits, routes, settings
    }

    /// `file:line:col` of a line entry.
    public func location(_ entry: LineEntry) -> String {
        "\(strings.indices.contains(Int(entry.file)) ? strings[Int(entry.file)] : "?"):\(entry.line):\(entry.column)"
    }

    /// The compiler's version, written into every artifact's header.
    public static let compilerVersion = "0.2.0"
}

extension Artifact {
    /// The artifact's bytes: header, then the body. `signer` signs the body.
    public func encoded(signer: ((_ body: [UInt8]) throws -> [UInt8])? = nil) rethrows -> [UInt8] {
        let body = encodedBody()
        let signature = try signer?(body)
        let header = ArtifactHeader(
            formatVersion: ArtifactHeader.formatVersion, compilerVersion: Self.compilerVersion,
            bodyLength: UInt64(body.count), bodySHA256: SHA256.hash(body), signature: signature)
        return header.encoded() + body
    }

    /// The body: a section directory, then the sections. The string table is written
    /// last in encoding order but first in the layout, since the others intern into it.
    func encodedBody() -> [UInt8] {
        let interner = StringInterner()
        for string in strings { _ = interner.index(of: string) }
        var sections: [Section: [UInt8]] = [:]
        func write(_ section: Section, _ body: (inout SectionWriter) -> Void) {
            var writer = SectionWriter(strings: interner)
            body(&writer)
            sections[section] = writer.bytes.bytes
        }
        write(.constants) { $0.array(constants) }
        write(.routing) { routing.encode(to: &$0) }
        write(.code) { $0.array(code) }
        write(.lines) { $0.array(lines) }
        write(.services) { $0.array(services) }
        write(.auth) { auth.encode(to: &$0) }
        write(.roles) { $0.array(roles) }
        write(.limits) { $0.array(limits) }
        write(.routes) { $0.array(routes) }
        write(.settings) { settings.encode(to: &$0) }
        var table = ByteWriter()
        table.array(interner.strings) { $0.blob(Array($1.utf8)) }
        sections[.strings] = table.bytes

        var out = ByteWriter()
        out.count(Section.allCases.count)
        var offset = 4 + Section.allCases.count * 12
        for section in Section.allCases {
            let length = sections[section]?.count ?? 0
            out.u32(section.rawValue)
            out.count(offset)
            out.count(length)
            offset += length
        }
        for section in Section.allCases { out.raw(sections[section] ?? []) }
        return out.bytes
    }

    /// Decodes and verifies artifact bytes. With `publicKeyPEM`, an unsigned artifact or
    /// a bad signature is refused.
    public static func decode(_ bytes: [UInt8], publicKeyPEM: String? = nil) throws(ArtifactError) -> Artifact {
        let header = try ArtifactHeader.decode(bytes)
        let body = bytes[ArtifactHeader.size...]
        guard SHA256.hash(body) == header.bodySHA256 else { throw .checksumMismatch }
        if let publicKeyPEM {
            guard let signature = header.signature else { throw .unsigned }
            guard try Ed25519.verify(signature: signature, message: Array(body), publicKeyPEM: publicKeyPEM) else { throw .badSignature }
        }
        var artifact = try decodeBody(bytes, from: ArtifactHeader.size)
        artifact.header = header
        try artifact.verify()
        return artifact
    }

    /// Decodes the body that starts at `base` in `bytes` (offsets in the directory are
    /// relative to `base`), reading in place rather than copying the body out.
    static func decodeBody(_ bytes: [UInt8], from base: Int) throws(ArtifactError) -> Artifact {
        let bodyCount = bytes.count - base
        var directory = ByteReader(bytes, range: base..<bytes.count)
        let count = try directory.count(minimumSize: 12)
        guard count == Section.allCases.count else { throw .malformed("expected \(Section.allCases.count) sections, found \(count)") }
        var ranges: [Section: Range<Int>] = [:]
        var expectedOffset = 4 + count * 12
        for section in Section.allCases {
            guard try directory.u32() == section.rawValue else { throw .malformed("section \(section) is missing or out of order") }
            let offset = Int(try directory.u32())
            let length = Int(try directory.u32())
            guard offset == expectedOffset, length <= bodyCount - offset else { throw .malformed("section \(section) lies outside the body") }
            ranges[section] = (base + offset)..<(base + offset + length)
            expectedOffset += length
        }
        guard expectedOffset == bodyCount else { throw .malformed("bytes after the last section") }
        func range(_ section: Section) -> Range<Int> { ranges[section] ?? 0..<0 }

        var stringReader = ByteReader(bytes, range: range(.strings))
        let strings = try stringReader.array(minimumSize: 4) { (r: inout ByteReader) throws(ArtifactError) in try r.string() }
        try expectEnd(stringReader, .strings)

        func read<T>(_ section: Section, _ body: (inout SectionReader) throws(ArtifactError) -> T) throws(ArtifactError) -> T {
            var reader = SectionReader(bytes: ByteReader(bytes, range: range(section)), strings: strings)
            let value = try body(&reader)
            try expectEnd(reader.bytes, section)
            return value
        }
        return Artifact(
            strings: strings,
            constants: try read(.constants) { (r: inout SectionReader) throws(ArtifactError) in try r.array() },
            routing: try read(.routing) { (r: inout SectionReader) throws(ArtifactError) in try RoutingTable(from: &r) },
            code: try read(.code) { (r: inout SectionReader) throws(ArtifactError) in try r.array(minimumSize: 9) },
            lines: try read(.lines) { (r: inout SectionReader) throws(ArtifactError) in try r.array(minimumSize: 12) },
            services: try read(.services) { (r: inout SectionReader) throws(ArtifactError) in try r.array(minimumSize: 20) },
            auth: try read(.auth) { (r: inout SectionReader) throws(ArtifactError) in try AuthSettings(from: &r) },
            roles: try read(.roles) { (r: inout SectionReader) throws(ArtifactError) in try r.array(minimumSize: 9) },
            limits: try read(.limits) { (r: inout SectionReader) throws(ArtifactError) in try r.array(minimumSize: 21) },
            routes: try read(.routes) { (r: inout SectionReader) throws(ArtifactError) in try r.array(minimumSize: 40) },
            settings: try read(.settings) { (r: inout SectionReader) throws(ArtifactError) in try GatewaySettings(from: &r) })
    }

    private static func expectEnd(_ reader: ByteReader, _ section: Section) throws(ArtifactError) {
        guard reader.isAtEnd else { throw .malformed("\(reader.remaining) unread bytes at the end of section \(section)") }
    }
}
