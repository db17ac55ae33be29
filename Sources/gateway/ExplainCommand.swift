import Artifact
import ArgumentParser
import Compiler
import Foundation
import Harness
import Runtime

/// `gateway explain SPECS|FILE.gwc METHOD PATH [-H 'Name: value']...`
struct ExplainCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "explain",
        abstract: "Trace how a request is routed and list the program it would run, with spec lines."
    )

    @Argument(help: "A spec folder or file, or a compiled .gwc artifact.")
    var source: String

    @Argument(help: "The request method, e.g. GET.")
    var method: String

    @Argument(help: "The request path, e.g. /api/v1/quotes/EURUSD (a query string is ignored).")
    var path: String

    @Option(name: [.customShort("H"), .customLong("header")], help: "A request header, 'Name: value' (repeatable); Host selects host routes.")
    var headers: [String] = []

    @Option(name: .customLong("as"), help: "Run the program as this principal id (simulated authentication).")
    var principal: String?

    @Option(name: .long, help: "The simulated principal's roles, comma-separated.")
    var roles: String = ""

    @Flag(name: .long, help: "The simulated principal authenticated with an API key (default: JWT).")
    var apiKey = false

    @Option(name: .long, help: "The virtual time, e.g. 2026-01-09T22:30:00Z (default: now).")
    var at: String?

    func run() throws {
        let artifact = try load()
        guard let methodBit = MethodSet(method: method.uppercased()) else {
            throw UsageError(message: "`\(method)` is not a method routes can name (\(MethodSet.names.joined(separator: ", ")))")
        }
        guard path.hasPrefix("/") else { throw UsageError(message: "the path must start with `/`") }
        let pathOnly = String(path.prefix { $0 != "?" })
        let parsedHeaders = try headers.map(Self.header)
        let host = parsedHeaders.first { $0.name == "host" }?.value.split(separator: ":").first.map { String($0).lowercased() } ?? ""
        let router = Router(artifact.routing)
        var tracer = RecordingTracer()
        var captures = [PathCapture](repeating: .init(), count: Artifact.maxParameters)
        let result = Array(pathOnly.utf8).withUnsafeBufferPointer { pathBytes in
            Array(host.utf8).withUnsafeBufferPointer { hostBytes in
                captures.withUnsafeMutableBufferPointer { buffer in
                    router.lookup(host: hostBytes, method: methodBit.rawValue, path: pathBytes, captures: buffer,
                                  guards: ListGuards(headers: parsedHeaders, query: Self.query(path)), tracer: &tracer)
                }
            }
        }
        var out = "request: \(method.uppercased()) \(pathOnly)\(host.isEmpty ? "" : " (host \(host))")\n\nlookup:\n"
        out += tracer.events.map { "  " + Self.describe($0, artifact) }.joined(separator: "\n") + "\n\n"
        switch result {
        case .notFound:
            out += "result: 404 Not Found (no route matches this path)\n"
        case .methodNotAllowed(let allowed):
            out += "result: 405 Method Not Allowed; Allow: \(MethodSet(rawValue: allowed).description)\n"
        case .matched(let index, let count):
            let route = artifact.routes[index]
            out += "result: route \(index) `\(route.key)`  ; \(artifact.location(route.location))\n"
            for (name, capture) in zip(route.parameters, captures.prefix(count)) {
                let value = Array(pathOnly.utf8)[Int(capture.start)..<Int(capture.end)]
                out += "  \(name) = \(String(decoding: value, as: UTF8.self))\n"
            }
            out += "\nprogram (run as \(principal.map { "\($0) [\(roles)]" } ?? "an anonymous caller")):\n"
            out += try trace(artifact, route: route, parsedHeaders)
        }
        FileHandleOutput.standardOutput(out)
    }

    /// Runs the request through the engine and prints each executed instruction with
    /// its result; instructions that did not run are shown dimmed with `·`.
    private func trace(_ artifact: Artifact, route: RouteEntry, _ parsedHeaders: [(name: String, value: String)]) throws -> String {
        var clock: any GatewayClock = SystemClock()
        if let at {
            guard let time = GoldenFileReader.parseTimestamp(at) else { throw UsageError(message: "--at takes a UTC time such as 2026-01-09T22:30:00Z") }
            clock = FixedClock(milliseconds: time)
        }
        let who = principal.map { Principal(id: $0, roles: roles.split(separator: ",").map(String.init), method: apiKey ? .apiKey : .jwt) }
        let engine = Engine(artifact: artifact, clock: clock, identifiers: CountingIdentifiers(), authenticator: ExplainAuthenticator(principal: who))
        var tracer = RecordingProgramTracer()
        let decision = engine.decide(RequestHead(method: method.uppercased(), target: path, headers: parsedHeaders), tracer: &tracer)
        let results = Dictionary(tracer.steps.map { ($0.pc, $0.result) }, uniquingKeysWith: { _, last in last })
        let disassembler = Disassembler(artifact)
        var out = ""
        for pc in Int(route.programStart)..<Int(route.programStart + route.programLength) {
            let ran = results.keys.contains(pc)
            out += (ran ? "  " : "· ") + disassembler.line(pc, route: route) + (results[pc].flatMap { $0 }.map { "  => \($0)" } ?? "") + "\n"
        }
        switch decision {
        case .respond(let response, _): out += "\ndecision: respond \(response.status)\(response.status >= 400 ? " " + response.bodyText : "")\n"
        case .forward(let upstream, _): out += "\ndecision: forward to \(upstream.serviceName): \(upstream.method) \(upstream.target)\n"
        }
        return out
    }

    private func load() throws -> Artifact {
        if source.hasSuffix(".gwc") { return try ArtifactFile.load(source) }
        let compiled = try CompiledSpecs.compile([source])
        guard let artifact = compiled.artifact else { throw ExitCode(1) }
        return artifact
    }

    static func header(_ text: String) throws -> (name: String, value: String) {
        guard let colon = text.firstIndex(of: ":") else { throw UsageError(message: "a header is 'Name: value', not `\(text)`") }
        return (text[..<colon].trimmingCharacters(in: .whitespaces).lowercased(), text[text.index(after: colon)...].trimmingCharacters(in: .whitespaces))
    }

    static func query(_ path: String) -> [(name: String, value: String)] {
        guard let mark = path.firstIndex(of: "?") else { return [] }
        return path[path.index(after: mark)...].split(separator: "&").map { pair in
            let parts = pair.split(separator: "=", maxSplits: 1)
            return (String(parts[0]), parts.count > 1 ? String(parts[1]) : "")
        }
    }

    static func describe(_ event: LookupEvent, _ artifact: Artifact) -> String {
        switch event {
        case .host(let pattern, let kind):
            switch kind {
            case .any: return "host: any-host routes"
            case .exact: return "host: \(pattern)"
            case .wildcard: return "host: *.\(pattern)"
            }
        case .segment(let text): return "segment `\(text)`"
        case .staticEdge(let label, let matched): return matched ? "  static `\(label)`: match" : "  static `\(label)`: no such static segment"
        case .constrained(let pattern, let matched): return "  constrained {:\(pattern)}: \(matched ? "match" : "no match")"
        case .parameter: return "  parameter {}: match"
        case .wildcard(let rest): return "  wildcard {...}: takes `\(rest)`"
        case .leaf(let route, let methodMatches, let guardsPass):
            let key = artifact.routes.indices.contains(route) ? artifact.routes[route].key : "?"
            return "end of path: route \(route) `\(key)`: " + (!guardsPass ? "match: guards fail" : methodMatches ? "method matches" : "method does not match")
        case .backtrack: return "  dead end; back up"
        }
    }
}

/// Authenticates every request as the principal given on the command line.
struct ExplainAuthenticator: Authenticator {
    let principal: Principal?

    func authenticate(_ request: RequestHead, mask: UInt32, now: Int64) -> AuthenticationResult {
        guard let principal, principal.isAccepted(byMask: mask) else { return .none }
        return .authenticated(principal)
    }
}
