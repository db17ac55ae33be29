import ArgumentParser
#if canImport(Glibc)
import Glibc
#endif

/// Exit status contract: 0 success, 1 the specs have errors, 2 usage problems
/// (ArgumentParser's own default for usage is 64, which CI scripts rarely expect).
do {
    var command = try GatewayCommand.parseAsRoot()
    if var serving = command as? any ServingCommand {
        try await serving.serve()
    } else {
        try command.run()
    }
} catch let exit as ExitCode {
    GatewayCommand.exit(withError: exit)
} catch let usage as UsageError {
    FileHandleOutput.standardError("error: \(usage.message)\n")
    GatewayCommand.exit(withError: ExitCode(2))
} catch {
    let code = GatewayCommand.exitCode(for: error)
    if code == .success {
        GatewayCommand.exit(withError: error)
    }
    FileHandleOutput.standardError(GatewayCommand.fullMessage(for: error) + "\n")
    GatewayCommand.exit(withError: ExitCode(2))
}
