import Artifact

/// RFC 9457 problem details for every error the gateway generates.
enum Problem {
    static func titles(_ status: Int) -> (title: String, slug: String) {
        switch status {
        case 400: ("Bad Request", "bad-request")
        case 401: ("Unauthorized", "unauthorized")
        case 403: ("Forbidden", "forbidden")
        case 404: ("Not Found", "not-found")
        case 405: ("Method Not Allowed", "method-not-allowed")
        case 413: ("Content Too Large", "content-too-large")
        case 414: ("URI Too Long", "uri-too-long")
        case 415: ("Unsupported Media Type", "unsupported-media-type")
        case 429: ("Too Many Requests", "rate-limited")
        case 502: ("Bad Gateway", "bad-gateway")
        case 503: ("Service Unavailable", "service-unavailable")
        case 504: ("Gateway Timeout", "gateway-timeout")
        default: ("Error", "error")
        }
    }

    /// The body: `type`, `title`, `status`, `detail`, `instance`, `request_id`, in that order.
    static func body(status: Int, detail: String, instance: String, requestID: String, typeBase: String) -> [UInt8] {
        let (title, slug) = titles(status)
        let fields = [
            ("type", json(typeBase + slug)), ("title", json(title)), ("status", "\(status)"),
            ("detail", json(detail)), ("instance", json(instance)), ("request_id", json(requestID)),
        ]
        return Array(("{" + fields.map { "\"\($0.0)\":\($0.1)" }.joined(separator: ",") + "}").utf8)
    }

    static func json(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where scalar.value < 0x20: out += "\\u00" + hexByte(UInt8(scalar.value))
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }
}
