import CLibYAMLBench
import Foundation
import GatewayDSL
import SpecGenerator

// Validates a generated spec of N routes and reports the median beside two peers
// measured in the same run on the same bytes:
//   libyaml-events   libyaml's bare event parse, the floor for any libyaml-based tool
//   pyyaml-compose   PyYAML's C loader building a node tree (yaml.compose + CSafeLoader)
// Usage: validate-bench [--routes N] [--repeats N]

func argument(_ name: String, default value: Int) -> Int {
    guard let index = CommandLine.arguments.firstIndex(of: name), index + 1 < CommandLine.arguments.count else { return value }
    return Int(CommandLine.arguments[index + 1]) ?? value
}

let routes = argument("--routes", default: 10_000)
let repeats = argument("--repeats", default: 7)
let text = SpecGenerator.spec(routes: routes)
let bytes = Array(text.utf8)
let folder = FileManager.default.temporaryDirectory.appendingPathComponent("validate-bench-\(getpid())")
try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
defer { try? FileManager.default.removeItem(at: folder) }
let file = folder.appendingPathComponent("spec.yaml")
try Data(bytes).write(to: file)

func median(_ samples: [Double]) -> Double {
    let sorted = samples.sorted()
    return sorted[sorted.count / 2]
}

func measure(_ body: () -> Void) -> Double {
    let start = ContinuousClock.now
    body()
    let elapsed = ContinuousClock.now - start
    return Double(elapsed.components.seconds) * 1_000 + Double(elapsed.components.attoseconds) / 1e15
}

// Ours: read from disk, parse, decode, merge and validate, as `gateway validate` does.
var oursSamples: [Double] = []
var diagnostics = 0
for _ in 0..<repeats {
    oursSamples.append(measure {
        let result = try? SpecLoader().load(paths: [file.path])
        diagnostics = result?.diagnostics.count ?? -1
    })
}
guard diagnostics == 0 else {
    print("error: the generated spec does not validate (\(diagnostics) diagnostics)")
    exit(1)
}

// Floor: libyaml events only.
func libyamlEvents(_ bytes: [UInt8]) -> Int {
    var parser = yaml_parser_t()
    guard yaml_parser_initialize(&parser) == 1 else { return -1 }
    defer { yaml_parser_delete(&parser) }
    var count = 0
    bytes.withUnsafeBufferPointer { buffer in
        yaml_parser_set_input_string(&parser, buffer.baseAddress, buffer.count)
        var event = yaml_event_t()
        while yaml_parser_parse(&parser, &event) == 1 {
            defer { yaml_event_delete(&event) }
            count += 1
            if event.type == YAML_STREAM_END_EVENT { break }
        }
    }
    return count
}
var floorSamples: [Double] = []
var events = 0
for _ in 0..<repeats { floorSamples.append(measure { events = libyamlEvents(bytes) }) }

// Peer: PyYAML's C loader composing the same file, timed inside Python.
let script = """
    import sys, time, yaml
    data = open(sys.argv[1]).read()
    samples = []
    for _ in range(int(sys.argv[2])):
        t = time.perf_counter(); yaml.compose(data, Loader=yaml.CSafeLoader); samples.append((time.perf_counter() - t) * 1000)
    samples.sort(); print(samples[len(samples) // 2])
    """
var pyyaml: Double?
let python = Process()
python.executableURL = URL(fileURLWithPath: "/usr/bin/env")
python.arguments = ["python3", "-c", script, file.path, String(repeats)]
let pipe = Pipe()
python.standardOutput = pipe
python.standardError = FileHandle.nullDevice
if (try? python.run()) != nil {
    let output = pipe.fileHandleForReading.readDataToEndOfFile()
    python.waitUntilExit()
    if python.terminationStatus == 0 {
        pyyaml = Double(String(decoding: output, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines))
    }
}

let ours = median(oursSamples)
let floor = median(floorSamples)
print("# \(routes) routes, \(bytes.count) bytes, \(events) libyaml events, median of \(repeats) runs")
print("validate routes=\(routes) ms=\(Int(ours.rounded()))")
print("validate-peer name=libyaml-events routes=\(routes) ms=\(Int(floor.rounded())) ratio=\(String(format: "%.2f", ours / floor))")
if let pyyaml {
    print("validate-peer name=pyyaml-compose routes=\(routes) ms=\(Int(pyyaml.rounded())) ratio=\(String(format: "%.2f", ours / pyyaml))")
} else {
    print("validate-peer name=pyyaml-compose unavailable (python3 with PyYAML's C loader not found)")
}
