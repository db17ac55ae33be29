import Artifact
import Compiler
import Foundation
import GatewayDSL
import Runtime

/// A spec header with both authenticators, so test routes can use any access rule.
let header = """
    gateway: t
    auth:
      jwt:
        sso:
          issuer: https://sso.example
          algorithms: [RS256]
          keys: { jwks: file:jwks.json }
      api-keys: { header: X-API-Key, store: file:keys.yaml, pepper: env:PEPPER }
    roles:
      viewer: { permissions: [quotes:read], limit: 10/s }
      trader: { inherits: [viewer], permissions: [orders:write] }
    services:
      s: { endpoints: [http://s:1] }

    """

/// Loads and compiles YAML; load errors are returned as the result's diagnostics.
func compile(_ yaml: String, file: String = "spec.yaml", options: Compiler.Options = .init()) -> Compiler.Result {
    let load = SpecLoader().load(sources: [(file, Array(yaml.utf8))])
    guard let spec = load.spec else { return Compiler.Result(artifact: nil, bytes: nil, diagnostics: load.diagnostics) }
    return Compiler(options: options).compile(spec)
}

func summaries(_ result: Compiler.Result) -> [String] {
    result.diagnostics.map { "\($0.severity.rawValue) \($0.code.rawValue) \($0.location.line):\($0.location.column)" }
}

/// Routes `method path` through a compiled artifact; returns the route key or the status.
func route(_ artifact: Artifact, _ method: String, _ path: String, host: String = "", headers: [String: String] = [:]) -> String {
    let router = Router(artifact.routing)
    var captures = [PathCapture](repeating: .init(), count: 16)
    let bit = MethodSet(method: method)?.rawValue ?? 0
    let result = Array(path.utf8).withUnsafeBufferPointer { p in
        Array(host.utf8).withUnsafeBufferPointer { h in
            captures.withUnsafeMutableBufferPointer { c in
                router.lookup(host: h, method: bit, path: p, captures: c, guards: ListGuards(headers: headers.map { ($0.key, $0.value) }))
            }
        }
    }
    switch result {
    case .matched(let index, let count):
        let bytes = Array(path.utf8)
        let values = captures.prefix(count).map { String(decoding: bytes[Int($0.start)..<Int($0.end)], as: UTF8.self) }
        return artifact.routes[index].key + (values.isEmpty ? "" : " " + values.joined(separator: ","))
    case .methodNotAllowed(let allowed): return "405 \(MethodSet(rawValue: allowed).description)"
    case .notFound: return "404"
    }
}

/// The repository's root folder.
let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
