import NIOCore

/// HTTP/1.1 response bytes for what the engine decided.
enum HTTPWire {
    static func writeStatusLine(_ status: Int, into buffer: inout ByteBuffer) {
        buffer.writeStaticString("HTTP/1.1 ")
        Digits.decimal(Int64(status)) { buffer.writeBytes($0) }
        buffer.writeStaticString(" ")
        buffer.writeStaticString(reason(status))
        buffer.writeStaticString("\r\n")
    }

    /// Received lines copied as they came (CRLF included), except the ones the edits
    /// drop; then the gateway's lines, written by the engine into the buffer itself.
    static func writeLines(_ headers: ParsedHeaderFields, edits: ResponseHeadEdits, plan: ResponsePlan, into buffer: inout ByteBuffer) {
        for index in 0..<headers.fieldCount where !edits.dropped.contains(index) { buffer.writeBytes(headers.line(index)) }
        var written = false
        buffer.writeWithUnsafeMutableBytes(minimumWritableBytes: edits.addedCapacity(plan)) { free in
            let count = edits.writeAdded(plan, into: free)
            written = count != nil
            return count ?? 0
        }
        // The capacity is an upper bound; should it ever fall short, the same lines by the long way.
        if !written { buffer.writeBytes(edits.added(plan).bytes) }
    }

    /// The client's lines the engine kept, then the gateway's block.
    static func writeLines(_ headers: [(name: String, value: String)], except dropped: HeaderIndexSet, then added: ArraySlice<UInt8>,
                           into buffer: inout ByteBuffer) {
        for (index, header) in headers.enumerated() where !dropped.contains(index) {
            buffer.writeString(header.name)
            buffer.writeStaticString(": ")
            buffer.writeString(header.value)
            buffer.writeStaticString("\r\n")
        }
        buffer.writeBytes(added)
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
