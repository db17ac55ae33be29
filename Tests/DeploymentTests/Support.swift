import Foundation
import GatewayDSL

let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

func text(_ path: String) -> String {
    String(decoding: FileManager.default.contents(atPath: repositoryRoot.appendingPathComponent(path).path) ?? Data(), as: UTF8.self)
}

/// The documents of a YAML file (split at `---` lines), read by the gateway's own reader.
func documents(_ path: String) -> [YAMLNode] {
    text(path).components(separatedBy: "\n---\n").compactMap { part in
        let result = YAMLReader().read(Array(part.utf8), file: path)
        return result.diagnostics.isEmpty ? result.root : nil
    }
}

extension YAMLNode {
    subscript(_ key: String) -> YAMLNode? {
        guard case .mapping(let mapping) = self else { return nil }
        return mapping.entries.first { $0.key.value == key }?.value
    }

    subscript(_ index: Int) -> YAMLNode? {
        guard case .sequence(let sequence) = self, sequence.items.indices.contains(index) else { return nil }
        return sequence.items[index]
    }

    var items: [YAMLNode] {
        if case .sequence(let sequence) = self { return sequence.items }
        return []
    }

    var string: String? {
        if case .scalar(let scalar) = self { return scalar.value }
        return nil
    }

    /// Follows a dotted path of keys, e.g. "spec.template.spec".
    func at(_ path: String) -> YAMLNode? {
        path.split(separator: ".").reduce(Optional(self)) { node, key in node?[String(key)] }
    }
}

/// Runs a command; its exit status and what it printed.
func run(_ arguments: [String], in directory: String = ".") throws -> (status: Int32, output: String) {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = arguments
    process.currentDirectoryURL = repositoryRoot.appendingPathComponent(directory)
    let pipe = Pipe()
    process.standardOutput = pipe
    process.standardError = pipe
    try process.run()
    let output = pipe.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return (process.terminationStatus, String(decoding: output, as: UTF8.self))
}

func installed(_ tool: String) -> Bool {
    ["/usr/bin/", "/usr/local/bin/", "/bin/"].contains { FileManager.default.isExecutableFile(atPath: $0 + tool) }
}
