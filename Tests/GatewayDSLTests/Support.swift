import Foundation
@testable import GatewayDSL

/// Loads one in-memory spec file named `file`.
func load(_ yaml: String, file: String = "spec.yaml") -> SpecLoader.Result {
    SpecLoader().load(sources: [(file, Array(yaml.utf8))])
}

/// Loads several in-memory files.
func load(files: [(String, String)]) -> SpecLoader.Result {
    SpecLoader().load(sources: files.map { ($0.0, Array($0.1.utf8)) })
}

/// `error GW2001 5:5`, the compact form fixtures and assertions use.
func summary(_ diagnostic: Diagnostic) -> String {
    "\(diagnostic.severity.rawValue) \(diagnostic.code.rawValue) \(diagnostic.location.line):\(diagnostic.location.column)"
}

func summaries(_ result: SpecLoader.Result) -> [String] {
    result.diagnostics.map(summary)
}

/// Reads a YAML text with the reader alone.
func readYAML(_ text: String, limits: YAMLReader.Limits = YAMLReader.Limits()) -> YAMLReader.Result {
    YAMLReader(limits: limits).read(Array(text.utf8), file: "t.yaml")
}

/// The repository's root folder, found from this source file's path.
let repositoryRoot: URL = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

/// A minimal valid header for specs used in tests.
let validHeader = """
    gateway: t
    auth:
      api-keys:
        header: X-API-Key
        store: file:keys/api-keys.json
        pepper: env:PEPPER

    """

/// A small deterministic generator, so hostile-input tests are reproducible.
struct SeededGenerator: RandomNumberGenerator {
    var state: UInt64

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
