import ArgumentParser

/// `gateway`: the API gateway toolchain: validate specs (and, as it grows, compile,
/// test, inspect and serve them).
struct GatewayCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "gateway",
        abstract: "An API gateway defined as code: validate gateway specs written in YAML.",
        discussion: """
            Exit status: 0 when the specs are clean (warnings allowed), 1 when they have \
            errors, 2 for usage problems such as a missing path.
            """,
        subcommands: [ValidateCommand.self]
    )
}

/// A problem with how the command was called, reported with exit status 2.
struct UsageError: Error {
    var message: String
}
