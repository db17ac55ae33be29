import Artifact

/// One route as a decision uses it, prepared once per engine from its entry, its
/// program and the gateway's settings: a decision tests names and copies bytes, and
/// holds one reference rather than copying the entry's strings and arrays.
final class PreparedRoute: Sendable {
    let bodyLimit: Int
    let envelopeEnabled: Bool
    /// The rewritten upstream path, its literal parts as ranges of `upstreamLiterals`
    /// (written as bytes, no String per part and request).
    let upstreamPath: [UpstreamPathPart]?
    let upstreamLiterals: [UInt8]
    let cors: UInt32?

    /// The route's `set` and `remove` names for the upstream request; client headers
    /// with these names are not forwarded, and neither are the gateway's own.
    let upstreamOverrides: LengthTable
    /// The client lines dropped besides the replaced ones: the overrides and the API
    /// key header (the key never leaves the gateway).
    let clientDropped: LengthTable
    /// Whether an override names a header the gateway injects (rare: then the
    /// injected lines are filtered, otherwise they are written as they are).
    let upstreamOverridesInjected: Bool
    let upstreamSet: HeaderBlock
    /// Reply headers not passed to the client: hop-by-hop, the upstream's request id,
    /// and the route's `set` and `remove` names.
    let responseDrop: LengthTable
    let responseOverrides: LengthTable
    let responseOverridesGateway: Bool
    /// The security headers the route keeps, then the route's own `set` lines.
    let responseTail: HeaderBlock
    /// For the gateway's own replies (fixed responses): the same edits as headers.
    let responseSet: [Header]
    let responseRemove: [String]
    /// The envelope around a JSON body: literal bytes and the per-request meta values.
    let envelope: [EnvelopePiece]
    /// Every literal piece's bytes, one after another (a piece holds a range of them:
    /// no reference to count per piece written).
    let envelopeBytes: [UInt8]
    /// The literal pieces' length, for sizing a wrapped body.
    var envelopeFixedBytes: Int { envelopeBytes.count }

    enum UpstreamPathPart: Sendable {
        case literal(Range<Int>)
        /// A captured path parameter, by its index.
        case parameter(Int)
    }

    enum EnvelopePiece: Sendable {
        case literal(Range<Int>)
        case requestID
        case timestamp
    }

    /// What the gateway itself adds upstream, so a route override of one of them is known.
    static let injectedUpstream = ["x-request-id", "traceparent", "x-forwarded-for", "x-forwarded-host", "x-forwarded-proto",
                                   "x-user-id", "x-roles", "x-auth-method"]
    /// What the gateway itself adds to a reply, apart from the security headers.
    static let addedDownstream = ["x-request-id", "retry-after", "ratelimit-policy", "ratelimit", "access-control-allow-origin", "vary",
                                  "access-control-allow-credentials", "access-control-expose-headers"]

    init(route: RouteEntry, artifact: Artifact, securityHeaders: [Header]) {
        bodyLimit = Int(route.bodyLimit)
        envelopeEnabled = route.envelope
        var literals: [UInt8] = []
        upstreamPath = route.upstreamPath?.map { part in
            switch part {
            case .literal(let text):
                let start = literals.count
                literals += Array(text.utf8)
                return .literal(start..<literals.count)
            case .parameter(let index): return .parameter(Int(index))
            }
        }
        upstreamLiterals = literals
        cors = route.cors
        var upstreamSet: [Header] = [], upstreamRemove: [String] = [], responseSet: [Header] = [], responseRemove: [String] = []
        for instruction in artifact.code[Int(route.programStart)..<Int(route.programStart + route.programLength)] {
            // Only edit instructions have string operands; the verifier checked them.
            switch instruction.opcode {
            case .setRequestHeader: upstreamSet.append(Header(artifact.strings[Int(instruction.a)], artifact.strings[Int(instruction.b)]))
            case .removeRequestHeader: upstreamRemove.append(artifact.strings[Int(instruction.a)])
            case .setResponseHeader: responseSet.append(Header(artifact.strings[Int(instruction.a)], artifact.strings[Int(instruction.b)]))
            case .removeResponseHeader: responseRemove.append(artifact.strings[Int(instruction.a)])
            default: continue
            }
        }
        let upstreamNames = upstreamRemove + upstreamSet.map(\.name)
        upstreamOverrides = LengthTable(upstreamNames)
        clientDropped = LengthTable(upstreamNames + (artifact.auth.apiKeys.map { [$0.header] } ?? []))
        upstreamOverridesInjected = upstreamNames.contains { Self.injectedUpstream.contains($0) }
        self.upstreamSet = HeaderBlock(upstreamSet)
        let responseNames = responseRemove + responseSet.map(\.name)
        responseOverrides = LengthTable(responseNames)
        responseDrop = LengthTable(HeaderNames.replacedDownstream + responseNames)
        responseOverridesGateway = responseNames.contains { Self.addedDownstream.contains($0) }
        responseTail = HeaderBlock(securityHeaders.filter { !responseNames.contains($0.name) } + responseSet)
        self.responseSet = responseSet
        self.responseRemove = responseRemove
        (envelope, envelopeBytes) = artifact.settings.envelope.map { Self.envelopePieces($0, routeKey: route.key) } ?? ([], [])
    }

    /// `{"<data>":` · body · `,"meta":{...}}` with only the request id and timestamp left to fill in.
    static func envelopePieces(_ envelope: GatewaySettings.Envelope, routeKey: String) -> ([EnvelopePiece], [UInt8]) {
        var pieces: [EnvelopePiece] = []
        var bytes: [UInt8] = []
        func append(_ literal: [UInt8]) {
            pieces.append(.literal(bytes.count..<bytes.count + literal.count))
            bytes += literal
        }
        var literal: [UInt8] = Array(",\"meta\":{".utf8)
        var first = true
        for field in envelope.meta {
            let name: String
            switch field {
            case "request-id": name = "request_id"
            case "timestamp": name = "timestamp"
            case "route": name = "route"
            default: continue
            }
            if !first { literal.append(UInt8(ascii: ",")) }
            first = false
            Problem.appendJSON(name, to: &literal)
            literal.append(UInt8(ascii: ":"))
            switch field {
            case "request-id":
                append(literal)
                pieces.append(.requestID)
                literal = []
            case "timestamp":
                append(literal)
                pieces.append(.timestamp)
                literal = []
            default:
                Problem.appendJSON(routeKey, to: &literal)
            }
        }
        literal.append(contentsOf: "}}".utf8)
        append(literal)
        return (pieces, bytes)
    }
}
