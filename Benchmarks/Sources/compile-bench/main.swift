import Artifact
import Compiler
import Foundation
import GatewayDSL
import Runtime
import SpecGenerator

// Compile and load times as the spec grows. For each size: validate (the YAML front
// end), compile (validated spec to artifact bytes) and load (decode, verify and build
// the router, what gatewayd does at boot), each the median of --repeats runs. The
// peer for load is its floor, measured in the same run: hashing the same bytes with
// SHA-256, which any checksummed format must do.
// Usage: compile-bench [--sizes 1000,10000,50000] [--repeats 5] [--load-only]
// (--load-only repeats just the load, for profiling it.)

func option(_ name: String) -> String? {
    guard let index = CommandLine.arguments.firstIndex(of: name), index + 1 < CommandLine.arguments.count else { return nil }
    return CommandLine.arguments[index + 1]
}

let sizes = (option("--sizes") ?? "1000,10000,50000").split(separator: ",").compactMap { Int($0) }
let repeats = Int(option("--repeats") ?? "") ?? 5

func milliseconds(_ body: () -> Void) -> Double {
    let start = ContinuousClock.now
    body()
    let elapsed = ContinuousClock.now - start
    return (Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18) * 1_000
}

func median(_ samples: [Double]) -> Double { samples.sorted()[samples.count / 2] }

func format(_ value: Double) -> String { value < 10 ? String(format: "%.2f", value) : String(Int(value.rounded())) }

for size in sizes {
    let source = Array(SpecGenerator.spec(routes: size).utf8)
    var spec: Spec?
    let validate = median((0..<repeats).map { _ in milliseconds { spec = SpecLoader().load(sources: [("spec.yaml", source)]).spec } })
    guard let spec else {
        print("error: the generated spec of \(size) routes does not validate")
        exit(1)
    }
    var bytes: [UInt8] = []
    let compile = median((0..<repeats).map { _ in milliseconds { bytes = Compiler().compile(spec).bytes ?? [] } })
    guard !bytes.isEmpty else {
        print("error: the generated spec of \(size) routes does not compile")
        exit(1)
    }
    var routes = 0
    if CommandLine.arguments.contains("--load-only") {
        for _ in 0..<repeats {
            var artifact: Artifact?
            let decode = milliseconds { artifact = try? Artifact.decode(bytes) }
            var router: Router?
            let build = milliseconds { router = artifact.map { Router($0.routing) } }
            let release = milliseconds { artifact = nil; router = nil }
            print("load-only decode=\(format(decode)) router=\(format(build)) free=\(format(release)) ms\(router == nil ? "" : "")")
        }
        continue
    }
    // Load as at boot: decode, verify and build the router. Freeing them afterwards
    // is outside the timed block, since a booting runtime keeps what it loaded.
    let load = median((0..<repeats).map { _ in
        var artifact: Artifact?
        var router: Router?
        let elapsed = milliseconds {
            artifact = try? Artifact.decode(bytes)
            router = artifact.map { Router($0.routing) }
        }
        routes = router == nil ? 0 : artifact?.routes.count ?? 0
        return elapsed
    })
    precondition(routes == size, "loaded \(routes) routes of \(size)")
    let hash = median((0..<repeats).map { _ in milliseconds { _ = SHA256.hash(bytes) } })
    print("# \(size) routes: spec \(source.count) bytes, artifact \(bytes.count) bytes, median of \(repeats)")
    print("validate routes=\(size) ms=\(format(validate))")
    print("compile routes=\(size) ms=\(format(compile))")
    print("load routes=\(size) ms=\(format(load))")
    print("load-peer name=sha256-of-artifact routes=\(size) ms=\(format(hash)) ratio=\(String(format: "%.1f", load / max(0.001, hash)))")
}
