import Artifact
import ArgumentParser
import Compiler
import Foundation
import GatewayDSL
import Harness
import Runtime

/// `gateway test`: replay the golden cases against the compiled specs.
struct TestCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "test",
        abstract: "Replay golden request/response cases through the compiled gateway and report differences and coverage.",
        discussion: "Exit status: 0 when every case passes (and coverage meets --min-coverage), 1 otherwise, 2 for usage problems."
    )

    @Option(name: .long, help: "The spec folder.")
    var specs: String = "specs"

    @Option(name: .long, help: "The golden folder; case files live below a `cases` folder in it.")
    var golden: String = "golden"

    @Flag(name: .long, help: "List the routes, instructions and branches no case reached.")
    var coverage = false

    @Option(name: .long, help: "Fail when route coverage is below this percentage.")
    var minCoverage: Double?

    @Flag(name: .long, help: "Rewrite the expectations of failing cases' files with what the gateway does now (review the diff).")
    var update = false

    @Option(name: .long, help: "Output format: text or junit.")
    var format: OutputFormat = .text

    enum OutputFormat: String, ExpressibleByArgument { case text, junit }

    func run() throws {
        let compiled = try CompiledSpecs.compile([specs])
        guard let artifact = compiled.artifact else { throw ExitCode(1) }
        var suite = GoldenSuite()
        let cases: [GoldenCase]
        do {
            cases = try suite.cases(in: golden)
        } catch {
            throw UsageError(message: error.description)
        }
        if !suite.diagnostics.isEmpty {
            FileHandleOutput.standardError(DiagnosticRenderer(format: .text, sources: suite.sources).render(suite.diagnostics))
            if suite.diagnostics.contains(where: { $0.severity == .error }) { throw ExitCode(1) }
        }
        let credentials: CredentialAuthenticator?
        do {
            credentials = try suite.credentials(for: artifact, in: golden)
        } catch {
            throw UsageError(message: error.description)
        }
        let runner = GoldenRunner(artifact: artifact, credentials: credentials)
        var (results, reached) = runner.run(cases)
        if update {
            let written = try runner.update(cases, results) { file, text in
                try Data(text.utf8).write(to: URL(fileURLWithPath: file))
            }
            for file in written { FileHandleOutput.standardError("updated \(file)\n") }
            if !written.isEmpty {
                var again = GoldenSuite()
                let reread = try again.cases(in: golden)
                (results, reached) = runner.run(reread)
            }
        }
        let report = GoldenReport(artifact: artifact, results: results, coverage: reached)
        FileHandleOutput.standardOutput(format == .junit ? report.junit() : report.text(showCoverage: coverage))
        if results.contains(where: { !$0.passed }) { throw ExitCode(1) }
        if let minimum = minCoverage, report.routeCoverage < minimum {
            FileHandleOutput.standardError("route coverage \(report.routeCoverage)% is below --min-coverage \(minimum)%\n")
            throw ExitCode(1)
        }
    }
}
