import Foundation
import Testing

/// Runs the real `gateway` binary, as CI and people do.
struct GatewayProcess {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// The binary SwiftPM built next to this test bundle.
    static var binary: URL {
        let bundleFolder = Bundle.allBundles.map(\.bundleURL).first { $0.pathExtension == "xctest" }?.deletingLastPathComponent()
        let folder = bundleFolder ?? URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        return folder.appendingPathComponent("gateway")
    }

    struct Output {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    static func run(_ arguments: [String], environment: [String: String] = [:]) throws -> Output {
        let process = Process()
        process.executableURL = binary
        process.arguments = arguments
        if !environment.isEmpty { process.environment = ProcessInfo.processInfo.environment.merging(environment) { _, new in new } }
        process.currentDirectoryURL = root
        let out = Pipe()
        let err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let stdout = out.fileHandleForReading.readDataToEndOfFile()
        let stderr = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Output(status: process.terminationStatus, stdout: String(decoding: stdout, as: UTF8.self), stderr: String(decoding: stderr, as: UTF8.self))
    }
}

@Suite("gateway validate")
struct ValidateCommandTests {
    let badFixture = "Tests/GatewayDSLTests/Fixtures/bad/GW2001-unknown-key.yaml"

    @Test("the forex specs validate clean with exit status 0")
    func clean() throws {
        let output = try GatewayProcess.run(["validate", "specs"])
        #expect(output.status == 0, "\(output.stdout)\(output.stderr)")
        #expect(output.stdout.hasPrefix("forex-platform: "))
        #expect(output.stdout.contains(": valid"))
    }

    @Test("with no path it validates specs/")
    func defaultPath() throws {
        let output = try GatewayProcess.run(["validate"])
        #expect(output.status == 0)
        #expect(output.stdout.contains("forex-platform"))
    }

    @Test("errors exit with status 1 and print file:line:col")
    func errors() throws {
        let output = try GatewayProcess.run(["validate", badFixture])
        #expect(output.status == 1)
        #expect(output.stdout.contains("\(badFixture):6:5: error[GW2001]: unknown key `timout`"))
        #expect(output.stdout.contains("hint: did you mean `timeout`?"))
    }

    @Test("a missing path and an unknown option are usage errors, status 2")
    func usage() throws {
        let missing = try GatewayProcess.run(["validate", "no/such/folder"])
        #expect(missing.status == 2)
        #expect(missing.stderr.contains("no such file or folder: no/such/folder"))
        let option = try GatewayProcess.run(["validate", "--frobnicate"])
        #expect(option.status == 2)
        let format = try GatewayProcess.run(["validate", "--format", "xml"])
        #expect(format.status == 2)
    }

    @Test("--help succeeds")
    func help() throws {
        let output = try GatewayProcess.run(["validate", "--help"])
        #expect(output.status == 0)
        #expect(output.stdout.contains("--format"))
    }

    @Test("--format json is machine-readable and keeps the exit status")
    func json() throws {
        let output = try GatewayProcess.run(["validate", "--format", "json", badFixture])
        #expect(output.status == 1)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(output.stdout.utf8)) as? [String: Any])
        #expect(object["errors"] as? Int == 1)
    }

    @Test("--format github prints workflow annotations")
    func github() throws {
        let output = try GatewayProcess.run(["validate", "--format", "github", badFixture])
        #expect(output.status == 1)
        #expect(output.stdout.hasPrefix("::error file=\(badFixture),line=6,col=5,title=GW2001 unknown key::"))
    }
}
