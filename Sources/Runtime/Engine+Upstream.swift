import Artifact

/// The upstream request as edits of the client's head: which client lines are not
/// forwarded, and the gateway's own lines, serialized once.
extension Engine {
    func upstreamRequest(_ request: RequestHead, _ normalized: PathNormalizer.Normalized, route: PreparedRoute, service: Int,
                         timeout: Int, context: VMContext, requestID: String) -> UpstreamRequest {
        // Strip what the client may not decide, then inject what the gateway knows.
        let dropped = droppedLines(request, route: route)
        // The host the client used: a trusted proxy's X-Forwarded-Host, else Host (its bytes).
        let forwardedHost = request.forwardedHost
        let principal = context.principal
        let hostCount = forwardedHost?.utf8.count ?? request.withValue(.host) { $0.count } ?? 0
        let estimate = 320 + serviceBasePaths[service].count + normalized.path.count + (normalized.query?.count ?? 0) + requestID.utf8.count
            + request.clientAddress.utf8.count + hostCount + (principal?.identityLines.count ?? 0) + route.upstreamSet.bytes.count
        // The target and the gateway's lines in one buffer: one allocation per request.
        var targetLength = 0
        var bytes = ByteWriter.bytes(capacity: estimate) { out in
            writeTarget(normalized, route: route, service: service, context: context, to: &out)
            targetLength = out.count
            out.writeLine("x-request-id: ", own: requestID)
            out.writeLine("traceparent: ", own: { writeTraceparent(request.header(.traceparent), to: &$0) })
            out.writeLine("x-forwarded-for: ", request.clientAddress)
            if let forwardedHost {
                out.writeLine("x-forwarded-host: ", forwardedHost)
            } else {
                request.withValue(.host) { out.writeLine("x-forwarded-host: ", bytes: $0) }
            }
            if let proto = request.forwardedProto { out.writeLine("x-forwarded-proto: ", own: proto) } else { out.write("x-forwarded-proto: http\r\n") }
            if let principal { out.write(principal.identityLines) }
            if !route.upstreamOverridesInjected { out.write(route.upstreamSet) }
        }
        if route.upstreamOverridesInjected {
            let kept = HeaderBlock(bytes: Array(bytes[targetLength...])).removing(route.upstreamOverrides)
            bytes = Array(bytes[..<targetLength]) + kept.bytes + route.upstreamSet.bytes
        }
        return UpstreamRequest(service: service, serviceName: serviceNames[service], request: request, timeoutMilliseconds: timeout,
                               dropped: dropped, head: bytes, targetLength: targetLength)
    }

    /// Which of the client's lines are not forwarded: the replaced ones (identity,
    /// hop-by-hop, the gateway's own) as the head found them; then the route's overrides
    /// and the API key header, and the lines the client's Connection names.
    private func droppedLines(_ request: RequestHead, route: PreparedRoute) -> HeaderIndexSet {
        var dropped = request.replacedUpstream
        let names = route.clientDropped
        let connection = request.has(.connection)
        guard !names.isEmpty || connection else { return dropped }
        request.withLines { bytes, lines in
            if !names.isEmpty {
                for index in lines.indices where !dropped.contains(index) && names.contains(lowercased: bytes, lines[index].name) { dropped.insert(index) }
            }
            // Headers the client's Connection names are hop-by-hop too (RFC 9110 7.6.1).
            if connection {
                let tokens = LengthTable(lines.indices.filter { RequestHead.text(bytes, lines[$0].name) == "connection" }.flatMap { index in
                    RequestHead.text(bytes, lines[index].value).split(separator: ",").map { $0.trimmingSpaces().lowercased() }
                })
                for index in lines.indices where tokens.contains(lowercased: bytes, lines[index].name) { dropped.insert(index) }
            }
        }
        return dropped
    }

    /// The normalized path (rewritten if the route says so, under the service's base
    /// path) and query. Normalization leaves a clean target byte for byte as it came.
    private func writeTarget(_ normalized: PathNormalizer.Normalized, route: PreparedRoute, service: Int, context: VMContext, to out: inout ByteWriter) {
        serviceBasePaths[service].withUnsafeBufferPointer { out.write($0) }
        if context.rewrite, let parts = route.upstreamPath {
            route.upstreamLiterals.withUnsafeBufferPointer { literals in
                parts.withUnsafeBufferPointer { parts in
                    for index in parts.indices {
                        switch parts[index] {
                        case .literal(let range): out.write(UnsafeBufferPointer(rebasing: literals[range]))
                        case .parameter(let parameter):
                            let capture = context.captures[parameter]
                            out.write(UnsafeBufferPointer(rebasing: normalized.path[Int(capture.start)..<Int(capture.end)]))
                        }
                    }
                }
            }
        } else {
            out.write(normalized.path)
        }
        if let query = normalized.query {
            out.write(UInt8(ascii: "?"))
            out.write(query)
        }
    }

    /// W3C trace context: continue a valid trace with a new span, or start one.
    func writeTraceparent(_ incoming: String?, to out: inout ByteWriter) {
        out.write("00-")
        if var incoming, Self.validTraceparent(incoming) {
            incoming.withUTF8 { bytes in
                out.write(UnsafeBufferPointer(rebasing: bytes[3..<36]))
                identifiers.writeHex(bytes: 8, to: &out)
                out.write(UnsafeBufferPointer(rebasing: bytes[52..<55]))
            }
        } else {
            identifiers.writeHex(bytes: 16, to: &out)
            out.write(UInt8(ascii: "-"))
            identifiers.writeHex(bytes: 8, to: &out)
            out.write("-01")
        }
    }

    /// `00-<32 hex trace id>-<16 hex span id>-<2 hex flags>`, lower-case, ids not all zero.
    static func validTraceparent(_ value: String) -> Bool {
        var value = value
        return value.withUTF8 { bytes in
            guard bytes.count == 55, bytes[0] == UInt8(ascii: "0"), bytes[1] == UInt8(ascii: "0"),
                  bytes[2] == UInt8(ascii: "-"), bytes[35] == UInt8(ascii: "-"), bytes[52] == UInt8(ascii: "-") else { return false }
            func hex(_ range: Range<Int>) -> Bool {
                bytes[range].allSatisfy { ($0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9")) || ($0 >= UInt8(ascii: "a") && $0 <= UInt8(ascii: "f")) }
            }
            func zero(_ range: Range<Int>) -> Bool { bytes[range].allSatisfy { $0 == UInt8(ascii: "0") } }
            return hex(3..<35) && hex(36..<52) && hex(53..<55) && !zero(3..<35) && !zero(36..<52)
        }
    }
}
