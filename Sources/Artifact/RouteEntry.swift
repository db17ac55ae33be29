/// A route: what it matches (for inspection and the Allow header), where its
/// program is, and the settings the engine applies around the program.
public struct RouteEntry: Sendable, Hashable, ArtifactCodable {
    /// A piece of the upstream path: literal text or a matched parameter.
    public enum PathPart: Sendable, Hashable, ArtifactCodable {
        case literal(String)
        case parameter(UInt32)

        public func encode(to writer: inout SectionWriter) {
            switch self {
            case .literal(let text): writer.bytes.u8(0); writer.string(text)
            case .parameter(let index): writer.bytes.u8(1); writer.bytes.u32(index)
            }
        }

        public init(from reader: inout SectionReader) throws(ArtifactError) {
            switch try reader.bytes.u8() {
            case 0: self = .literal(try reader.string())
            case 1: self = .parameter(try reader.bytes.u32())
            case let tag: throw .malformed("unknown path part tag \(tag)")
            }
        }
    }

    /// Method bits in `MethodSet` order.
    public var methods: MethodSet
    public var key: String
    public var host: String?
    public var path: String
    public var parameters: [String]
    public var programStart: UInt32
    public var programLength: UInt32
    /// The upstream path template; nil forwards the normalized request path.
    public var upstreamPath: [PathPart]?
    public var cors: UInt32?
    public var timeoutMilliseconds: UInt32
    public var bodyLimit: UInt64
    public var envelope: Bool
    public var isPublic: Bool
    public var location: LineEntry

    public init(methods: MethodSet, key: String, host: String?, path: String, parameters: [String], programStart: UInt32,
                programLength: UInt32, upstreamPath: [PathPart]?, cors: UInt32?, timeoutMilliseconds: UInt32, bodyLimit: UInt64,
                envelope: Bool, isPublic: Bool, location: LineEntry) {
        self.methods = methods
        self.key = key
        self.host = host
        self.path = path
        self.parameters = parameters
        self.programStart = programStart
        self.programLength = programLength
        self.upstreamPath = upstreamPath
        self.cors = cors
        self.timeoutMilliseconds = timeoutMilliseconds
        self.bodyLimit = bodyLimit
        self.envelope = envelope
        self.isPublic = isPublic
        self.location = location
    }

    public func encode(to writer: inout SectionWriter) {
        writer.bytes.u8(methods.rawValue); writer.string(key); writer.optionalString(host); writer.string(path)
        writer.strings(parameters); writer.bytes.u32(programStart); writer.bytes.u32(programLength)
        writer.bytes.bool(upstreamPath != nil)
        if let upstreamPath { writer.array(upstreamPath) }
        writer.bytes.bool(cors != nil)
        if let cors { writer.bytes.u32(cors) }
        writer.bytes.u32(timeoutMilliseconds); writer.bytes.u64(bodyLimit); writer.bytes.bool(envelope); writer.bytes.bool(isPublic)
        location.encode(to: &writer)
    }

    public init(from reader: inout SectionReader) throws(ArtifactError) {
        methods = MethodSet(rawValue: try reader.bytes.u8()); key = try reader.string(); host = try reader.optionalString()
        path = try reader.string(); parameters = try reader.strings()
        programStart = try reader.bytes.u32(); programLength = try reader.bytes.u32()
        upstreamPath = try reader.bytes.bool() ? try reader.array(minimumSize: 5) : nil
        cors = try reader.bytes.bool() ? try reader.bytes.u32() : nil
        timeoutMilliseconds = try reader.bytes.u32(); bodyLimit = try reader.bytes.u64(); envelope = try reader.bytes.bool()
        isPublic = try reader.bytes.bool(); location = try LineEntry(from: &reader)
    }
}

/// A set of HTTP methods as bits: GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS.
public struct MethodSet: OptionSet, Sendable, Hashable {
    public let rawValue: UInt8
    public init(rawValue: UInt8) { self.rawValue = rawValue }

    public static let names = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]
    public static let all = MethodSet(rawValue: 0x7F)

    /// GET, HEAD and OPTIONS: the safe methods (RFC 9110 9.2.1) a route can name,
    /// which CSRF checks let through.
    public static let safe = MethodSet(rawValue: 0b100_0011)

    /// The bit for a method name; nil for methods no route can name.
    public init?(method: String) {
        // Compared as bytes: `==` between two different strings calls into the runtime,
        // once per name tried (some 140 instructions per request before).
        var method = method
        guard let bit = method.withUTF8(Self.bit) else { return nil }
        self.init(rawValue: bit)
    }

    /// The bit for a method given as bytes, without allocating.
    public init?(methodBytes bytes: UnsafeBufferPointer<UInt8>) {
        guard let bit = Self.bit(bytes) else { return nil }
        self.init(rawValue: bit)
    }

    /// Each name packed into a word (none is longer than 7 bytes).
    private static let packedNames = names.map { Array($0.utf8).withUnsafeBufferPointer(packed) }

    private static func bit(_ bytes: UnsafeBufferPointer<UInt8>) -> UInt8? {
        guard bytes.count <= 7 else { return nil }
        let word = packed(bytes)
        return packedNames.withUnsafeBufferPointer { names in
            for index in names.indices where names[index] == word { return 1 << UInt8(index) }
            return nil
        }
    }

    /// Up to seven bytes as one word, the length in the top byte so "GET" and "GET\0" differ.
    private static func packed(_ bytes: UnsafeBufferPointer<UInt8>) -> UInt64 {
        var word = UInt64(bytes.count) << 56
        for index in 0..<bytes.count { word |= UInt64(bytes[index]) << (8 * UInt64(index)) }
        return word
    }

    /// `GET, HEAD`: the form of an Allow header.
    public var description: String {
        Self.names.enumerated().filter { rawValue & (1 << UInt8($0.offset)) != 0 }.map(\.element).joined(separator: ", ")
    }
}
