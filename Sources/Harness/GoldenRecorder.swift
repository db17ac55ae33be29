import Foundation
import GatewayDSL
import Runtime
import Synchronization

/// Record mode (`gateway serve --record DIR`): live exchanges become golden cases in
/// `DIR/cases/recorded.yaml`, ready for `gateway test --golden DIR`. Credentials never
/// reach the file: the Authorization, Cookie and API key headers are dropped and the
/// case names the principal they established instead, so the replay needs no secrets.
/// Values that differ on every run (request ids, timestamps) become `<any>`.
public final class GoldenRecorder: ExchangeRecorder {
    private let file: String
    private let redacted: Set<String>
    private let state = Mutex<[(GoldenCase, [GoldenWriter.Actual])]>([])
    /// Cases kept in one file at most; later exchanges are not recorded.
    public static let limit = 1_000

    /// `apiKeyHeader` is the spec's key header (dropped with the other credentials).
    public init(directory: String, apiKeyHeader: String?) throws {
        let cases = (directory as NSString).appendingPathComponent("cases")
        try FileManager.default.createDirectory(atPath: cases, withIntermediateDirectories: true)
        file = (cases as NSString).appendingPathComponent("recorded.yaml")
        redacted = Set(["authorization", "proxy-authorization", "cookie"] + (apiKeyHeader.map { [$0.lowercased()] } ?? []))
    }

    public func record(_ exchange: RecordedExchange) {
        let text: String? = state.withLock { cases in
            guard cases.count < Self.limit else { return nil }
            cases.append(Self.goldenCase(exchange, number: cases.count + 1, redacted: redacted))
            return GoldenWriter.file(cases, heading: "# Recorded by `gateway serve --record` from live traffic; credentials replaced by the principal.")
        }
        guard let text else { return }
        try? Data(text.utf8).write(to: URL(fileURLWithPath: file), options: .atomic)
    }

    static func goldenCase(_ exchange: RecordedExchange, number: Int, redacted: Set<String>) -> (GoldenCase, [GoldenWriter.Actual]) {
        var exchange = exchange
        // A backend may echo a credential back (or a reply may quote it): every value of a
        // dropped header, and a bearer token on its own, is scrubbed from what is kept.
        let secrets = exchange.request.headers.filter { redacted.contains($0.name) }.flatMap { header -> [String] in
            let parts = header.value.split(separator: " ", maxSplits: 1)
            return parts.count == 2 ? [header.value, String(parts[1])] : [header.value]
        }.filter { $0.count >= 8 }
        exchange.upstreamReply = exchange.upstreamReply.map { scrub($0, secrets) }
        exchange.response = scrub(exchange.response, secrets)
        let request = exchange.request
        let kept = request.headers.filter { !redacted.contains($0.name) }
        let head = RequestHead(method: request.method, target: request.target, headers: kept, clientAddress: request.clientAddress)
        var upstream: GoldenCase.ExpectedUpstream?
        if let call = exchange.upstream {
            upstream = GoldenCase.ExpectedUpstream(service: call.serviceName, method: call.method, target: call.target, headers: [], absent: [],
                                                   reply: exchange.upstreamReply ?? GatewayResponse(status: 502), failure: exchange.upstreamFailure)
        }
        let response = exchange.response
        let json = JSONParser.parse(response.body).map(volatile)
        let expected = GoldenCase.ExpectedResponse(
            status: response.status, headers: response.headers.filter { $0.name == "content-type" }, absent: [],
            body: json == nil && !response.body.isEmpty ? response.bodyText : nil, json: json)
        let location = SourceLocation(file: "recorded.yaml", line: number, column: 1)
        let step = GoldenCase.Step(clock: exchange.time, principal: exchange.principal, request: head, upstream: upstream, response: expected, location: location)
        let name = "\(number)-" + (request.method + " " + String(request.target.prefix { $0 != "?" })).lowercased()
            .map { $0.isLetter || $0.isNumber ? $0 : "-" }.reduce(into: "") { $0.append($1) }
        return (GoldenCase(name: name, description: nil, location: location, steps: [step]),
                [GoldenWriter.Actual(upstream: exchange.upstream, response: response)])
    }

    static func scrub(_ response: GatewayResponse, _ secrets: [String]) -> GatewayResponse {
        guard !secrets.isEmpty else { return response }
        var response = response
        // Text bodies only: a binary body is kept byte for byte.
        if var text = String(validating: response.body, as: UTF8.self) {
            for secret in secrets.sorted(by: { $0.count > $1.count }) { text = text.replacingOccurrences(of: secret, with: "<redacted>") }
            response.body = Array(text.utf8)
        }
        response.headers = response.headers.map { header in
            var value = header.value
            for secret in secrets { value = value.replacingOccurrences(of: secret, with: "<redacted>") }
            return Header(header.name, value)
        }
        return response
    }

    /// Request ids and timestamps differ on every run.
    static func volatile(_ value: JSONValue) -> JSONValue {
        switch value {
        case .object(let fields):
            return .object(fields.map { name, member in (name, ["request_id", "timestamp"].contains(name) ? .string("<any>") : volatile(member)) })
        case .array(let items): return .array(items.map(volatile))
        default: return value
        }
    }
}
