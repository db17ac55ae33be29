import ArgumentParser
import GatewayDSL

/// `gateway validate [PATH...]`: check specs and report every problem.
struct ValidateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "validate",
        abstract: "Check gateway specs and report every problem as file:line:col.",
        discussion: "Folders are searched for .yaml and .yml files. Exit status: 0 clean, 1 errors, 2 usage."
    )

    @Argument(help: "Spec files or folders.")
    var paths: [String] = ["specs"]

    @Option(name: .long, help: "Output format: text, json or github (workflow annotations).")
    var format: DiagnosticRenderer.Format = .text

    func run() throws {
        let result: SpecLoader.Result
        do {
            result = try SpecLoader().load(paths: paths)
        } catch {
            throw UsageError(message: error.description)
        }
        let renderer = DiagnosticRenderer(format: format, sources: result.sources)
        FileHandleOutput.standardOutput(renderer.render(result.diagnostics, summary: result.spec.map { summary($0, files: result.files) }))
        if result.hasErrors { throw ExitCode(1) }
    }

    private func summary(_ spec: Spec, files: [String]) -> String {
        let name = spec.name?.value ?? "gateway"
        return "\(name): \(files.count) files, \(spec.services.count) services, \(spec.routes.count) routes, "
            + "\(spec.roles.count) roles, \(spec.policies.count) policies: valid"
    }
}

extension DiagnosticRenderer.Format: ExpressibleByArgument {}
