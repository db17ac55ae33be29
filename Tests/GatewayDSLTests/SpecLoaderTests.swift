import Foundation
import Testing
@testable import GatewayDSL

@Suite("Loading specs from several files")
struct SpecLoaderTests {
    let services = ("services.yaml", "services:\n  pricing: { endpoints: [http://pricing:8080] }\n")
    let routes = ("routes.yaml", "gateway: t\nroutes:\n  GET /q:\n    to: pricing\n    public: true\n")

    @Test("files merge in path order, whatever order they are given in")
    func orderIndependent() throws {
        let forward = load(files: [services, routes])
        let backward = load(files: [routes, services])
        #expect(forward.files == backward.files)
        #expect(forward.spec?.services.map(\.name.value) == backward.spec?.services.map(\.name.value))
        #expect(forward.diagnostics.isEmpty && backward.diagnostics.isEmpty)
    }

    @Test("names are unique across files, and the error names both places")
    func duplicateAcrossFiles() {
        let result = load(files: [services, routes, ("z.yaml", "services:\n  pricing: { endpoints: [http://p2:8080] }\n")])
        #expect(summaries(result) == ["error GW3005 2:3"])
        #expect(result.diagnostics.first?.location.file == "z.yaml")
        #expect(result.diagnostics.first?.notes.first?.location.file == "services.yaml")
    }

    @Test("a singleton section may be written in one file only")
    func singletonSections() {
        let result = load(files: [routes, services, ("a.yaml", "defaults: { timeout: 1s }\n"), ("b.yaml", "defaults: { timeout: 2s }\n")])
        #expect(summaries(result) == ["error GW3005 1:11"])
    }

    @Test("one file's errors do not hide another's")
    func errorsFromEveryFile() {
        let result = load(files: [("a.yaml", "gateway: t\nbogus: 1\n"), ("b.yaml", "routes: [1]\n")])
        #expect(result.diagnostics.map(\.location.file) == ["a.yaml", "b.yaml"])
    }

    @Test("folders are searched for .yaml and .yml files, hidden ones skipped")
    func discovery() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("gw-discover-\(UInt32.random(in: 0...UInt32.max))")
        defer { try? FileManager.default.removeItem(at: folder) }
        try FileManager.default.createDirectory(at: folder.appendingPathComponent("sub"), withIntermediateDirectories: true)
        try FileManager.default.createDirectory(at: folder.appendingPathComponent(".git"), withIntermediateDirectories: true)
        for name in ["b.yaml", "sub/a.yml", ".git/x.yaml", "README.md", ".hidden.yaml"] {
            try Data("gateway: t\n".utf8).write(to: folder.appendingPathComponent(name))
        }
        let files = try SpecLoader.discover([folder.path])
        #expect(files.map { String($0.dropFirst(folder.path.count + 1)) } == ["b.yaml", "sub/a.yml"])
    }

    @Test("a missing path is a usage error, not a spec error")
    func missingPath() {
        #expect(throws: SpecLoader.InputError.self) { try SpecLoader().load(paths: ["/definitely/not/here"]) }
    }
}
