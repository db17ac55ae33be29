import Artifact
import ArgumentParser
import Foundation
import GatewayDSL
import Runtime

/// `gateway keys`: manages the API key store the spec's `auth.api-keys.store` names.
/// The store holds peppered hashes only; a new key is printed once, on standard output.
struct KeysCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "keys",
        abstract: "Create, list, revoke and rotate API keys in the key store.",
        discussion: """
            The store and pepper come from the specs (auth.api-keys), or from --store and \
            --pepper. Keys are shown once, when created or rotated; the store keeps only \
            HMAC-SHA256(pepper, key). A running gateway picks up changes within a second.
            """,
        subcommands: [Create.self, List.self, Revoke.self, Rotate.self]
    )

    struct StoreOptions: ParsableArguments {
        @Option(name: .long, help: "The specs folder that names the store, the pepper, roles and plans.")
        var specs: String = "specs"
        @Option(name: .long, help: "The key store file (overrides the specs' auth.api-keys.store).")
        var store: String?
        @Option(name: .long, help: "The pepper as env:NAME or file:PATH (overrides the specs' auth.api-keys.pepper).")
        var pepper: String?
    }

    struct Create: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Create a key and print it once.")
        @OptionGroup var options: StoreOptions
        @Option(help: "Who holds the key (a service account name); becomes principal.id.")
        var owner: String
        @Option(help: "Comma-separated roles the key grants.")
        var roles: String
        @Option(help: "A plan from auth.api-keys.plans: the key's own rate limit.")
        var plan: String?
        @Option(help: "How long the key lives, such as 90d or 12h (default: never expires).")
        var expires: String?

        func run() throws {
            let store = try KeyStoreSession(options)
            let roleList = roles.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
            try store.check(roles: roleList, plan: plan)
            let now = KeyStoreSession.now()
            let lifetime = try expires.map(KeyStoreSession.duration)
            let (record, key) = try store.newKey(owner: owner, roles: roleList, plan: plan, now: now, expires: lifetime.map { now + $0 })
            try store.save(store.records + [record])
            FileHandleOutput.standardError("created \(record.id) for \(owner) in \(store.path); the key is shown once:\n")
            FileHandleOutput.standardOutput(key + "\n")
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List keys (never their secrets or hashes).")
        @OptionGroup var options: StoreOptions

        func run() throws {
            let store = try KeyStoreSession(options, needsPepper: false)
            let now = KeyStoreSession.now()
            var lines = [["ID", "OWNER", "ROLES", "PLAN", "STATUS", "CREATED", "EXPIRES"]]
            for record in store.records {
                let status = record.status == .active && (record.expires ?? .max) <= now ? "expired" : record.status.rawValue
                lines.append([record.id, record.owner, record.roles.joined(separator: ","), record.plan ?? "-", status,
                              Timestamp.format(record.created), record.expires.map(Timestamp.format) ?? "never"])
            }
            let widths = (0..<7).map { column in lines.map { $0[column].count }.max() ?? 0 }
            let text = lines.map { line in
                zip(line, widths).map { $0.padding(toLength: $1, withPad: " ", startingAt: 0) }.joined(separator: "  ").trimmingCharacters(in: .whitespaces)
            }
            FileHandleOutput.standardOutput(text.joined(separator: "\n") + "\n")
        }
    }

    struct Revoke: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Revoke a key now.")
        @OptionGroup var options: StoreOptions
        @Argument(help: "The key's id (from `gateway keys list`).")
        var id: String

        func run() throws {
            let store = try KeyStoreSession(options, needsPepper: false)
            var records = store.records
            guard let index = records.firstIndex(where: { $0.id == id }) else { throw UsageError(message: "no key \(id) in \(store.path)") }
            records[index].status = .revoked
            try store.save(records)
            FileHandleOutput.standardError("revoked \(id) (\(records[index].owner))\n")
        }
    }

    struct Rotate: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Issue a replacement key and retire the old one after a grace period.")
        @OptionGroup var options: StoreOptions
        @Argument(help: "The key's id.")
        var id: String
        @Option(help: "How long the old key keeps working, such as 24h; 0s revokes it now.")
        var grace: String = "24h"

        func run() throws {
            let store = try KeyStoreSession(options)
            var records = store.records
            guard let index = records.firstIndex(where: { $0.id == id }), records[index].status == .active else {
                throw UsageError(message: "no active key \(id) in \(store.path)")
            }
            let old = records[index]
            let now = KeyStoreSession.now()
            let graceMilliseconds = try KeyStoreSession.duration(grace)
            let lifetime = old.expires.map { $0 - old.created }
            let (record, key) = try store.newKey(owner: old.owner, roles: old.roles, plan: old.plan, now: now, expires: lifetime.map { now + $0 })
            if graceMilliseconds == 0 { records[index].status = .revoked } else {
                records[index].expires = min(old.expires ?? .max, now + graceMilliseconds)
            }
            try store.save(records + [record])
            FileHandleOutput.standardError("rotated \(id) -> \(record.id); the old key stops working \(graceMilliseconds == 0 ? "now" : "at " + Timestamp.format(records[index].expires ?? now)). The new key is shown once:\n")
            FileHandleOutput.standardOutput(key + "\n")
        }
    }
}

/// The store file and its pepper, as the specs or flags name them.
struct KeyStoreSession {
    let path: String
    let pepper: [UInt8]
    let records: [APIKeyRecord]
    let roles: Set<String>
    let plans: Set<String>

    init(_ options: KeysCommand.StoreOptions, needsPepper: Bool = true) throws {
        var config: AuthSettings.APIKeys?
        var roles: Set<String> = []
        // The specs are read whenever they exist, so roles and plans are checked even
        // when --store and --pepper are given.
        if options.store == nil || (needsPepper && options.pepper == nil) || FileManager.default.fileExists(atPath: options.specs) {
            let compiled = try CompiledSpecs.compile([options.specs])
            guard let artifact = compiled.artifact else { throw ExitCode(1) }
            guard let keys = artifact.auth.apiKeys else { throw UsageError(message: "the specs in \(options.specs) configure no auth.api-keys") }
            config = keys
            roles = Set(artifact.roles.map(\.name))
        }
        let secrets = SecretResolver()
        do {
            path = try options.store ?? secrets.filePath(config?.storeReference ?? "")
            pepper = needsPepper ? try secrets.resolve(options.pepper ?? config?.pepperReference ?? "") : []
        } catch {
            throw UsageError(message: "\(error)")
        }
        if needsPepper && pepper.count < 16 { throw UsageError(message: "the pepper must be at least 16 bytes") }
        self.roles = roles
        self.plans = Set(config?.plans.map(\.name) ?? [])
        if let data = FileManager.default.contents(atPath: path) {
            do { records = try APIKeyStoreFile.decode([UInt8](data)) } catch { throw UsageError(message: "\(path): \(error)") }
        } else {
            records = []
        }
    }

    /// Roles and plans must exist in the specs (when the specs were read).
    func check(roles wanted: [String], plan: String?) throws {
        guard !wanted.isEmpty else { throw UsageError(message: "a key needs at least one role (--roles)") }
        if !roles.isEmpty, let unknown = wanted.first(where: { !roles.contains($0) }) {
            throw UsageError(message: "unknown role \(unknown); the specs define \(roles.sorted().joined(separator: ", "))")
        }
        if let plan, !plans.isEmpty, !plans.contains(plan) {
            throw UsageError(message: "unknown plan \(plan); the specs define \(plans.sorted().joined(separator: ", "))")
        }
    }

    func newKey(owner: String, roles: [String], plan: String?, now: Int64, expires: Int64?) throws -> (APIKeyRecord, String) {
        let (id, key) = try APIKey.generate()
        return (APIKeyRecord(id: id, hash: APIKey.hash(key, pepper: pepper), owner: owner, roles: roles, plan: plan, status: .active,
                             created: now, expires: expires), key)
    }

    /// Written to a temporary file and renamed, so a reader never sees half a store;
    /// readable by the owner only.
    func save(_ records: [APIKeyRecord]) throws {
        let temporary = path + ".tmp"
        let bytes = APIKeyStoreFile.encode(records)
        guard FileManager.default.createFile(atPath: temporary, contents: Data(bytes), attributes: [.posixPermissions: 0o600]),
              rename(temporary, path) == 0 else { throw UsageError(message: "cannot write \(path)") }
    }

    static func now() -> Int64 { SystemClock().nowMilliseconds() }

    static func duration(_ text: String) throws -> Int64 {
        guard let duration = SpecDuration(parsing: text) else { throw UsageError(message: "\(text) is not a duration (such as 90d, 24h, 30m)") }
        return duration.milliseconds
    }
}
