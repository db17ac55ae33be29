import NIOCore

/// HTTP/1.1 response bytes for what the engine decided.
enum HTTPWire {
    static func writeStatusLine(_ status: Int, into buffer: inout ByteBuffer) {
        buffer.writeWithByteWriter(capacity: 64) { writeStatusLine(status, to: &$0) }
    }

    static func writeStatusLine(_ status: Int, to out: inout ByteWriter) {
        out.write("HTTP/1.1 ")
        out.write(decimal: Int64(status))
        out.write(" ")
        out.write(reason(status))
        out.write("\r\n")
    }

    /// A relayed reply's head without its final CRLF: the status line, the received
    /// lines the edits keep (copied as they came, CRLF included), then the gateway's.
    static func writeReplyHead(_ status: Int, _ headers: ParsedHeaderFields, edits: ResponseHeadEdits, plan: ResponsePlan, to out: inout ByteWriter) {
        writeStatusLine(status, to: &out)
        for index in 0..<headers.fieldCount where !edits.dropped.contains(index) { out.write(headers.line(index)) }
        edits.writeAdded(plan, to: &out)
    }

    /// Room for `writeReplyHead` (an estimate: the writer retries with more).
    static func replyHeadCapacity(_ headers: ParsedHeaderFields, edits: ResponseHeadEdits, plan: ResponsePlan) -> Int {
        64 + headers.bytes.count + edits.addedCapacity(plan)
    }

    /// An upstream request's head, final CRLF included: the engine's request line, the
    /// upstream's Host, the client's lines the engine kept, the gateway's block, and
    /// the framing of a chunked body relayed as it came.
    static func writeRequestHead(_ upstream: UpstreamRequest, host: String, chunked: Bool, to out: inout ByteWriter) {
        out.write(upstream.method)
        out.write(" ")
        upstream.targetBytes.withUnsafeBufferPointer { out.write($0) }
        out.write(" HTTP/1.1\r\nhost: ")
        out.write(host)
        out.write("\r\n")
        let dropped = upstream.dropped
        upstream.request.withLines { bytes, lines in
            for index in lines.indices where !dropped.contains(index) {
                out.write(UnsafeBufferPointer(rebasing: bytes[lines[index].name]))
                out.write(": ")
                out.write(UnsafeBufferPointer(rebasing: bytes[lines[index].value]))
                out.write("\r\n")
            }
        }
        upstream.addedBytes.withUnsafeBufferPointer { out.write($0) }
        if chunked { out.write("transfer-encoding: chunked\r\n") }
        out.write("\r\n")
    }

    /// Room for `writeRequestHead`: exact but for the method and target's few bytes of slack.
    static func requestHeadCapacity(_ upstream: UpstreamRequest, host: String) -> Int {
        96 + upstream.method.utf8.count + upstream.targetBytes.count + host.utf8.count + upstream.addedBytes.count
            + upstream.request.withLines { bytes, lines in bytes.count + 4 * lines.count }
    }

    static func writeHead(status: Int, headers: [Header], keepAlive: Bool, into buffer: inout ByteBuffer) {
        writeStatusLine(status, into: &buffer)
        for header in headers where header.name != "connection" {
            buffer.writeString(header.name)
            buffer.writeStaticString(": ")
            buffer.writeString(header.value)
            buffer.writeStaticString("\r\n")
        }
        if !keepAlive { buffer.writeStaticString("connection: close\r\n") }
        buffer.writeStaticString("\r\n")
    }

    /// A whole response with its Content-Length (gateway-made replies, enveloped bodies).
    static func writeResponse(_ response: GatewayResponse, keepAlive: Bool, headRequest: Bool, into buffer: inout ByteBuffer) {
        var headers = response.headers.filter { $0.name != "content-length" && $0.name != "transfer-encoding" }
        if response.status != 204 && response.status != 304 { headers.append(Header(lowercased: "content-length", "\(response.body.count)")) }
        writeHead(status: response.status, headers: headers, keepAlive: keepAlive, into: &buffer)
        if !headRequest { buffer.writeBytes(response.body) }
    }

    static func reason(_ status: Int) -> StaticString {
        switch status {
        case 200: "OK"
        case 201: "Created"
        case 202: "Accepted"
        case 204: "No Content"
        case 301: "Moved Permanently"
        case 302: "Found"
        case 304: "Not Modified"
        case 400: "Bad Request"
        case 401: "Unauthorized"
        case 403: "Forbidden"
        case 404: "Not Found"
        case 405: "Method Not Allowed"
        case 408: "Request Timeout"
        case 409: "Conflict"
        case 413: "Content Too Large"
        case 414: "URI Too Long"
        case 415: "Unsupported Media Type"
        case 422: "Unprocessable Content"
        case 429: "Too Many Requests"
        case 431: "Request Header Fields Too Large"
        case 500: "Internal Server Error"
        case 501: "Not Implemented"
        case 502: "Bad Gateway"
        case 503: "Service Unavailable"
        case 504: "Gateway Timeout"
        case 505: "HTTP Version Not Supported"
        default: "Status"
        }
    }
}
