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
        let envelope = plan.envelope && (200..<300).contains(status) && !edits.envelope.isEmpty
            && headers.firstField(named: "content-type").map { headers.withFieldValue($0) { Self.isJSON($0) } } == true
        var dropped = headers.namedByConnection()
        for index in 0..<headers.fieldCount {
            let drop = headers.withFieldName(index) { name in
                edits.responseDrop.contains(bytes: name) || (envelope && ParsedRequestHead.equalsIgnoringCase(name, "content-length"))
            }
            if drop { dropped.insert(index) }
        }
        let estimate = 224 + plan.requestID.utf8.count + plan.corsHeaders.reduce(0) { $0 + $1.name.utf8.count + $1.value.utf8.count + 4 }
            + edits.responseTail.bytes.count
        var added = HeaderBlock.build(capacity: estimate) { out in
            out.writeLine("x-request-id: ", own: plan.requestID)
            plan.rateLimit?.write(to: &out)
            for header in plan.corsHeaders { out.writeLine(name: header.name, value: header.value) }
            if !edits.responseOverridesGateway { out.write(edits.responseTail) }
        }
        if edits.responseOverridesGateway {
            added = HeaderBlock(bytes: added.removing(edits.responseOverrides).bytes + edits.responseTail.bytes)
        }
        return ResponseHeadEdits(dropped: dropped, added: added, envelope: envelope)
    }

    /// Whether a Content-Type value is JSON's (`application/json`, parameters allowed).
    static func isJSON(_ value: UnsafeRawBufferPointer) -> Bool {
        let prefix: StaticString = "application/json"
        return value.count >= prefix.utf8CodeUnitCount
            && ParsedRequestHead.equalsIgnoringCase(UnsafeRawBufferPointer(rebasing: value[0..<prefix.utf8CodeUnitCount]), prefix)
    }

    /// `{"<data>":<body>,"meta":{...}}`, written straight into one buffer.
    public func envelope(_ body: [UInt8], _ plan: ResponsePlan) -> [UInt8] {
        let pieces = prepared[plan.route].envelope
        return ByteWriter.bytes(capacity: body.count + envelopeOpening.count + 192 + plan.requestID.utf8.count) { out in
            out.write(envelopeOpening)
            if body.isEmpty { out.write("null") } else { out.write(body) }
            for piece in pieces {
                switch piece {
                case .literal(let bytes): out.write(bytes)
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

    /// The whole reply after the route's transforms (the harness's view; the server
    /// applies `responseHead` to the bytes instead).
    public func finish(_ plan: ResponsePlan, upstream: GatewayResponse) -> GatewayResponse {
        let edits = responseHead(plan, status: upstream.status, headers: upstream.headers)
        var headers: [Header] = []
        for (index, header) in upstream.headers.enumerated() where !edits.dropped.contains(index) { headers.append(header) }
        return GatewayResponse(status: upstream.status, headers: headers + edits.added.headers,
                               body: edits.envelope ? envelope(upstream.body, plan) : upstream.body)
    }

    /// A route's `set` and `remove` on a reply the gateway makes itself.
    func apply(set: [Header], remove: [String], to response: inout GatewayResponse) {
        if set.isEmpty && remove.isEmpty { return }
        response.headers.removeAll { header in remove.contains(header.name) || set.contains { $0.name == header.name } }
        response.headers += set
    }
}
