import Artifact
import CAllocCounter
import Compiler
import Foundation
import GatewayDSL
import Runtime

// Route lookup on the shared route sets (../shared/bench/routes), measured like the
// Go and Swift peer harnesses: verify request i resolves to route i, then time
// passes over all requests; ns per lookup = elapsed / (passes x requests).
// Usage: route-bench [--routes DIR] [--sets github,static,parse,gplus] [--reps 11] [--benchtime-ms 300]

func option(_ name: String) -> String? {
    guard let index = CommandLine.arguments.firstIndex(of: name), index + 1 < CommandLine.arguments.count else { return nil }
    return CommandLine.arguments[index + 1]
}

let routesFolder = option("--routes") ?? "../shared/bench/routes"
let sets = (option("--sets") ?? "github,static,parse,gplus").split(separator: ",").map(String.init)
let reps = Int(option("--reps") ?? "") ?? 11
let benchTime = Double(Int(option("--benchtime-ms") ?? "") ?? 300) / 1_000

func lines(_ path: String) -> [String] {
    guard let data = FileManager.default.contents(atPath: path) else {
        print("error: cannot read \(path) (pass --routes DIR)")
        exit(2)
    }
    return String(decoding: data, as: UTF8.self).split(separator: "\n").map(String.init).filter { !$0.isEmpty }
}

func seconds(_ duration: Duration) -> Double {
    Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
}

struct Request {
    var method: UInt8
    var path: [UInt8]
}

/// One route set, measured; a nonisolated function so the timed loop does not run as
/// main-actor top-level code (which adds executor checks to every call).
func measure(set: String) {
    let routes = lines("\(routesFolder)/\(set).txt")
    let requests = lines("\(routesFolder)/\(set)-requests.txt")
    var yaml = "gateway: bench\nroutes:\n"
    for route in routes { yaml += "  \(route):\n    public: true\n    respond: { status: 204 }\n" }
    let load = SpecLoader().load(sources: [("\(set).yaml", Array(yaml.utf8))])
    guard let spec = load.spec, let artifact = Compiler().compile(spec).artifact else {
        print("error: set \(set) does not compile: \(load.diagnostics.first.map { "\($0.location): \($0.message)" } ?? "")")
        exit(1)
    }
    let router = Router(artifact.routing)
    let parsed = requests.map { line -> Request in
        let parts = line.split(separator: " ", maxSplits: 1)
        return Request(method: MethodSet(method: String(parts[0]))?.rawValue ?? 0, path: Array(parts[1].utf8))
    }
    let captures = UnsafeMutableBufferPointer<PathCapture>.allocate(capacity: 16)
    let empty: [UInt8] = []
    func lookup(_ request: Request) -> RouteLookup {
        request.path.withUnsafeBufferPointer { path in
            empty.withUnsafeBufferPointer { host in router.lookup(host: host, method: request.method, path: path, captures: captures) }
        }
    }
    for (index, request) in parsed.enumerated() {
        guard case .matched(let route, _) = lookup(request), artifact.routes[route].key == routes[index] else {
            print("FATAL: \(set) request \(index) `\(requests[index])` did not resolve to `\(routes[index])`")
            exit(1)
        }
    }
    func pass() -> Int {
        var found = 0
        for request in parsed { if case .matched = lookup(request) { found &+= 1 } }
        return found
    }
    // Calibrate: double the passes until a run takes a quarter of the target, then scale.
    var passes = 1
    while true {
        let start = ContinuousClock.now
        for _ in 0..<passes { _ = pass() }
        let elapsed = seconds(ContinuousClock.now - start)
        if elapsed > benchTime / 4 || passes > 1 << 24 {
            passes = max(1, Int(Double(passes) * benchTime / max(1e-9, elapsed)))
            break
        }
        passes *= 2
    }
    var samples: [Double] = []
    var allocations: UInt64 = 0
    for rep in 0..<reps {
        if rep == reps - 1 { alloc_counter_start() }
        let start = ContinuousClock.now
        var found = 0
        for _ in 0..<passes { found &+= pass() }
        let elapsed = ContinuousClock.now - start
        if rep == reps - 1 {
            alloc_counter_stop()
            allocations = alloc_counter_allocations()
        }
        precondition(found == passes * parsed.count)
        samples.append(seconds(elapsed) * 1e9 / Double(passes * parsed.count))
    }
    samples.sort()
    let perLookup = Double(allocations) / Double(passes * parsed.count)
    print("route-lookup set=\(set) router=gateway ns=\(String(format: "%.1f", samples[samples.count / 2])) allocs=\(perLookup == 0 ? "0" : String(format: "%.2f", perLookup)) min=\(String(format: "%.1f", samples[0])) max=\(String(format: "%.1f", samples[samples.count - 1])) routes=\(routes.count)")
    captures.deallocate()
}

for set in sets { measure(set: set) }
