import Artifact

/// The route's transforms of an upstream's reply: which of its header lines pass,
/// the gateway's lines after them, and the envelope around a JSON body.
extension Engine {
    /// The edits for a reply head: what the server applies as the head streams through.
    public func responseHead(_ plan: ResponsePlan, status: Int, headers: [Header]) -> ResponseHeadEdits {
        responseHead(plan, status: status, fields: headers)
    }

    /// The same over the reply's fields however they are held (the server's are
    /// offsets into the bytes received).
    func responseHead<Fields: HeaderFieldList>(_ plan: ResponsePlan, status: Int, fields headers: Fields) -> ResponseHeadEdits {
        let edits = prepared[plan.route]
        let wraps = plan.envelope && (200..<300).contains(status) && !edits.envelope.isEmpty
        // One pass over the names: the route's drops, and where Content-Type,
        // Content-Length and Connection are (by length first, then bytes).
        var dropped = HeaderIndexSet()
        var contentType: Int?, lengths = HeaderIndexSet(), connection = false, lastLength: Int?
        for index in 0..<headers.fieldCount {
            headers.withFieldName(index) { name in
                if edits.responseDrop.contains(bytes: name) { dropped.insert(index) }
                switch name.count {
                case 10: if !connection { connection = ParsedRequestHead.equalsIgnoringCase(name, "connection") }
                case 12: if contentType == nil, ParsedRequestHead.equalsIgnoringCase(name, "content-type") { contentType = index }
                case 14:
                    if ParsedRequestHead.equalsIgnoringCase(name, "content-length") {
                        lengths.insert(index)
                        lastLength = index
                    }
                default: break
                }
            }
        }
        let envelope = wraps && contentType.map { headers.withFieldValue($0) { Self.isJSON($0) } } == true
        // A wrapped body has a new length, which the server writes.
        if envelope { dropped.formUnion(lengths) }
        if connection { dropped.formUnion(headers.namedByConnection()) }
        // Replies with two Content-Length lines are refused before this (the parser), so one says it.
        let lengthKept = lastLength.map { !dropped.contains($0) } ?? false
        return ResponseHeadEdits(dropped: dropped, envelope: envelope, route: edits, lengthKept: lengthKept)
    }

    /// Whether a Content-Type value is JSON's (`application/json`, parameters allowed).
    static func isJSON(_ value: UnsafeRawBufferPointer) -> Bool {
        let prefix: StaticString = "application/json"
        return value.count >= prefix.utf8CodeUnitCount
            && ParsedRequestHead.equalsIgnoringCase(UnsafeRawBufferPointer(rebasing: value[0..<prefix.utf8CodeUnitCount]), prefix)
    }

    /// `{"<data>":<body>,"meta":{...}}`, written straight into one buffer.
    public func envelope(_ body: [UInt8], _ plan: ResponsePlan) -> [UInt8] {
        ByteWriter.bytes(capacity: envelopeCapacity(bodyCount: body.count, plan)) { out in
            body.withUnsafeBytes { writeEnvelope($0, plan, to: &out) }
        }
    }

    /// The same into memory the caller holds (the server's outgoing buffer): the
    /// bytes written, or nil when `buffer` is smaller than `envelopeCapacity`.
    public func envelope(_ body: UnsafeRawBufferPointer, _ plan: ResponsePlan, into buffer: UnsafeMutableRawBufferPointer) -> Int? {
        var out = ByteWriter(buffer.bindMemory(to: UInt8.self))
        writeEnvelope(body, plan, to: &out)
        return out.overflowed ? nil : out.count
    }

    /// Room enough for a wrapped body of `bodyCount` bytes.
    public func envelopeCapacity(bodyCount: Int, _ plan: ResponsePlan) -> Int {
        bodyCount + envelopeOpening.count + prepared[plan.route].envelopeFixedBytes + 64 + 4 * plan.requestID.utf8.count
    }

    private func writeEnvelope(_ body: UnsafeRawBufferPointer, _ plan: ResponsePlan, to out: inout ByteWriter) {
        out.write(envelopeOpening)
        if body.isEmpty { out.write("null") } else { out.write(body.assumingMemoryBound(to: UInt8.self)) }
        let route = prepared[plan.route]
        // Read in place: iterating the arrays would retain them.
        route.envelopeBytes.withUnsafeBufferPointer { bytes in
            route.envelope.withUnsafeBufferPointer { pieces in
                for index in pieces.indices {
                    switch pieces[index] {
                    case .literal(let range): out.write(UnsafeBufferPointer(rebasing: bytes[range]))
                    // Request ids are plain (accepted only if so, or generated): no escaping needed.
                    case .requestID:
                        out.write(UInt8(ascii: "\""))
                        out.write(plan.requestID)
                        out.write(UInt8(ascii: "\""))
                    case .timestamp: out.write(decimal: plan.timestampMilliseconds)
                    }
                }
            }
        }
    }

    /// The whole reply after the route's transforms (the harness's view; the server
    /// applies `responseHead` to the bytes instead).
    public func finish(_ plan: ResponsePlan, upstream: GatewayResponse) -> GatewayResponse {
        let edits = responseHead(plan, status: upstream.status, headers: upstream.headers)
        var headers: [Header] = []
        for (index, header) in upstream.headers.enumerated() where !edits.dropped.contains(index) { headers.append(header) }
        return GatewayResponse(status: upstream.status, headers: headers + edits.added(plan).headers,
                               body: edits.envelope ? envelope(upstream.body, plan) : upstream.body)
    }

    /// A route's `set` and `remove` on a reply the gateway makes itself.
    func apply(set: [Header], remove: [String], to response: inout GatewayResponse) {
        if set.isEmpty && remove.isEmpty { return }
        response.headers.removeAll { header in remove.contains(header.name) || set.contains { $0.name == header.name } }
        response.headers += set
    }
}

/// An upstream's reply head parsed as the server parses it (offsets into its bytes),
/// so a benchmark measures the server's path through `responseHead` rather than the
/// harness's `[Header]` one.
@_spi(Benchmarks)
public struct ParsedReplyHead: Sendable {
    let bytes: [UInt8]
    let status: Int
    let fields: [ParsedRequestHead.Field]

    /// nil unless `bytes` is one whole, valid reply head.
    public init?(_ bytes: [UInt8]) {
        var fields: [ParsedRequestHead.Field] = []
        guard case .complete(let head) = bytes.withUnsafeBytes({ ResponseHeadParser().parse($0, headRequest: false, fields: &fields) }) else { return nil }
        (self.bytes, self.status, self.fields) = (bytes, head.status, fields)
    }
}

extension Engine {
    @_spi(Benchmarks)
    public func responseHead(_ plan: ResponsePlan, reply: ParsedReplyHead) -> ResponseHeadEdits {
        reply.bytes.withUnsafeBytes { responseHead(plan, status: reply.status, fields: ParsedHeaderFields(bytes: $0, fields: reply.fields)) }
    }
}
