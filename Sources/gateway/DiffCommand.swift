import Artifact
import ArgumentParser

/// `gateway diff A.gwc B.gwc`: what changed between two artifacts, in words.
struct DiffCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "diff",
        abstract: "Say which routes, policies, services, roles and limits changed between two artifacts.",
        discussion: "Exit status: 0 when the artifacts behave the same, 1 when they differ."
    )

    @Argument(help: "The old artifact.")
    var old: String

    @Argument(help: "The new artifact.")
    var new: String

    func run() throws {
        let report = ArtifactDiff(old: try ArtifactFile.load(old), new: try ArtifactFile.load(new)).report()
        FileHandleOutput.standardOutput(report.isEmpty ? "no changes in behaviour\n" : report)
        if !report.isEmpty { throw ExitCode(1) }
    }
}
