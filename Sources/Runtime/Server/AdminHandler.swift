import NIOCore
import NIOHTTP1

/// The admin listener: `/metrics` (Prometheus), `/healthz` (the process is alive),
/// `/readyz` (serving and not draining), `/admin/routes` (what the artifact routes).
/// Kept off the public port so neither load nor clients can reach it.
final class AdminHandler: ChannelInboundHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    private let state: ServerState
    private var head: HTTPRequestHead?

    init(state: ServerState) {
        self.state = state
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let head): self.head = head
        case .body: break
        case .end:
            guard let head else { return }
            self.head = nil
            let (status, type, body) = answer(head)
            SimpleReply.write(status, contentType: type, body: body, extraHeaders: [("cache-control", "no-store")], to: head, context: context)
        }
    }

    private func answer(_ head: HTTPRequestHead) -> (HTTPResponseStatus, String, [UInt8]) {
        guard head.method == .GET else { return (.methodNotAllowed, "text/plain", Array("GET only\n".utf8)) }
        switch head.uri.split(separator: "?").first.map(String.init) ?? head.uri {
        case "/metrics":
            return (.ok, "text/plain; version=0.0.4; charset=utf-8", state.metrics.exposition())
        case "/healthz":
            return (.ok, "application/json", Array(#"{"status":"ok"}"#.utf8))
        case "/readyz":
            let draining = state.draining.load(ordering: .relaxed)
            return draining ? (.serviceUnavailable, "application/json", Array(#"{"status":"draining"}"#.utf8))
                            : (.ok, "application/json", Array(#"{"status":"ready"}"#.utf8))
        case "/admin/routes":
            let artifact = state.currentEngine.artifact
            let routes = artifact.routes.map { route in
                "{\"route\":\(Problem.json(route.key)),\"methods\":\(Problem.json(route.methods.description)),\"path\":\(Problem.json(route.path)),"
                    + "\"host\":\(route.host.map(Problem.json) ?? "null"),\"public\":\(route.isPublic),\"spec\":\(Problem.json("\(artifact.strings[Int(route.location.file)]):\(route.location.line)"))}"
            }
            return (.ok, "application/json", Array(("[" + routes.joined(separator: ",") + "]\n").utf8))
        default:
            return (.notFound, "text/plain", Array("not found\n".utf8))
        }
    }
}
