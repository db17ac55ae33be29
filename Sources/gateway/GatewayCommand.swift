import ArgumentParser

/// `gateway`: the API gateway toolchain: validate and compile specs, inspect, explain
/// and compare artifacts.
struct GatewayCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "gateway",
        abstract: "An API gateway defined as code: validate, compile, inspect, explain and diff gateway specs.",
        discussion: """
            Exit status: 0 on success, 1 when specs have errors (or, for diff, when the \
            artifacts differ), 2 for usage problems such as a missing path.
            """,
        subcommands: [ValidateCommand.self, CompileCommand.self, TestCommand.self, InspectCommand.self, ExplainCommand.self, DiffCommand.self,
                      KeysCommand.self, TokenCommand.self, ServeCommand.self, DemoCommand.self, OpenAPICommand.self]
    )
}

/// A problem with how the command was called, reported with exit status 2.
struct UsageError: Error {
    var message: String
}

/// A command that runs a server: `main.swift` awaits `serve()` instead of calling
/// the synchronous `run()`.
protocol ServingCommand: ParsableCommand {
    mutating func serve() async throws
}
