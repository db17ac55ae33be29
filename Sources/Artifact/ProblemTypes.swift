/// The problem+json `title` and `type` slug of each status the gateway answers
/// itself: one table for the runtime that writes them and the OpenAPI document that
/// describes them (`type` is the spec's `problem-type-base` plus the slug).
public enum ProblemTypes {
    public static let statuses = [400, 401, 403, 404, 405, 413, 414, 415, 429, 502, 503, 504]

    public static func describe(_ status: Int) -> (title: String, slug: String) {
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
}
