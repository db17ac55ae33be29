import Artifact
import Compiler
import Foundation
import GatewayDSL

/// Finds, reads and runs a golden folder against compiled specs: what `gateway test`
/// and the test suite both do.
public struct GoldenSuite {
    public var diagnostics: [Diagnostic] = []
    public var sources: [String: SourceText] = [:]

    public init() {}

    /// The cases under `folder`: every `.yaml` file below a `cases` folder.
    public mutating func cases(in folder: String) throws(SpecLoader.InputError) -> [GoldenCase] {
        let files = try SpecLoader.discover([folder]).filter { $0.contains("/cases/") || $0.hasPrefix("cases/") }
        var reader = GoldenFileReader()
        var cases: [GoldenCase] = []
        let workingDirectory = FileManager.default.currentDirectoryPath + "/"
        for file in files {
            let name = file.hasPrefix(workingDirectory) ? String(file.dropFirst(workingDirectory.count)) : file
            let bytes = [UInt8](FileManager.default.contents(atPath: file) ?? Data())
            sources[name] = SourceText(file: name, text: String(decoding: bytes, as: UTF8.self))
            cases += reader.read(bytes, file: name)
        }
        diagnostics += reader.bag.sorted
        return cases
    }
}
