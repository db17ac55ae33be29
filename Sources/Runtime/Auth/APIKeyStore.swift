#if canImport(Glibc)
import Glibc
#endif
import Synchronization

/// The API keys the runtime accepts, loaded from the store file and reloaded when
/// the file changes (checked at most once a second) or on `reload()`. A store that
/// fails to load keeps the previous keys and reports why in `lastError`.
public final class APIKeyStore: Sendable {
    struct Table: Sendable {
        /// By the id's number (`APIKey.number`); a record whose id is not 16 lower-case
        /// hex digits cannot match any presented key and is not kept.
        var records: [UInt64: Entry] = [:]
        var modified: timespec = timespec()
        var size: Int = 0
        var checkedAt: Int64 = 0
        var lastError: String?

        mutating func add(_ record: APIKeyRecord) {
            if let number = APIKey.number(ofID: record.id.utf8), let entry = Entry(record) { records[number] = entry }
        }
    }

    /// A key as a request meets it: its record, its stored MAC, and the principal it
    /// stands for, made once per load (so a request copies one reference, and the
    /// principal's identity lines are serialized once).
    final class Entry: Sendable {
        let record: APIKeyRecord
        let mac: [UInt8]
        let principal: Principal

        init?(_ record: APIKeyRecord) {
            guard let mac = record.storedMAC else { return nil }
            self.record = record
            self.mac = mac
            self.principal = Principal(id: record.owner, roles: record.roles, method: .apiKey, plan: record.plan, keyID: record.id)
        }
    }

    public let path: String?
    /// HMAC-SHA256 keyed with the pepper, set up once.
    private let pepperMAC: KeyedMAC?
    private let table: Mutex<Table>

    /// A store read from `path`; throws when the first load fails (boot must refuse it).
    public init(path: String, pepper: [UInt8]) throws(KeyError) {
        guard pepper.count >= 16 else { throw KeyError("the API key pepper must be at least 16 bytes") }
        self.path = path
        self.pepperMAC = KeyedMAC(digest: "SHA256", key: pepper)
        self.table = Mutex(Table())
        if let error = reload() { throw KeyError(error) }
    }

    /// A store over fixed records (tests, benchmarks).
    public init(records: [APIKeyRecord], pepper: [UInt8]) {
        self.path = nil
        self.pepperMAC = KeyedMAC(digest: "SHA256", key: pepper)
        var table = Table()
        for record in records { table.add(record) }
        self.table = Mutex(table)
    }

    /// Re-reads the file; nil on success, else why the old keys were kept.
    @discardableResult
    public func reload() -> String? {
        guard let path else { return nil }
        var info = stat()
        let loaded: Result<[APIKeyRecord], KeyError>
        if stat(path, &info) != 0 {
            loaded = .failure(KeyError("cannot read \(path)"))
        } else if let bytes = FileBytes.read(path) {
            do throws(KeyError) { loaded = .success(try APIKeyStoreFile.decode(bytes)) } catch { loaded = .failure(error) }
        } else {
            loaded = .failure(KeyError("cannot read \(path)"))
        }
        return table.withLock { table -> String? in
            table.modified = info.st_mtim
            table.size = Int(info.st_size)
            switch loaded {
            case .success(let records):
                table.records = [:]
                for record in records { table.add(record) }
                table.lastError = nil
                return nil
            case .failure(let error):
                table.lastError = "\(path): \(error.description)"
                return table.lastError
            }
        }
    }

    /// Reloads when the file's modification time or size changed; at most once a second.
    public func reloadIfChanged(now: Int64) {
        guard let path else { return }
        let due = table.withLock { table -> Bool in
            guard now - table.checkedAt >= 1_000 else { return false }
            table.checkedAt = now
            var info = stat()
            guard stat(path, &info) == 0 else { return false }
            return info.st_mtim.tv_sec != table.modified.tv_sec || info.st_mtim.tv_nsec != table.modified.tv_nsec || Int(info.st_size) != table.size
        }
        if due { reload() }
    }

    public var lastError: String? { table.withLock { $0.lastError } }
    public var count: Int { table.withLock { $0.records.count } }

    /// The principal for a presented key, or why it is refused.
    public func authenticate(_ key: String, now: Int64) -> Result<Principal, AuthenticationFailure> {
        var key = key
        return key.withUTF8 { authenticate(bytes: $0, now: now) }
    }

    /// The same for the key's bytes, as the request head keeps them.
    public func authenticate(bytes: UnsafeBufferPointer<UInt8>, now: Int64) -> Result<Principal, AuthenticationFailure> {
        reloadIfChanged(now: now)
        guard let id = APIKey.number(of: bytes), let entry = table.withLock({ $0.records[id] }), let pepperMAC,
              entry.mac.withUnsafeBytes({ pepperMAC.verify(UnsafeRawBufferPointer(bytes), equals: $0) }) else { return .failure(.unknownAPIKey) }
        if entry.record.status == .revoked { return .failure(.revokedAPIKey) }
        if let expires = entry.record.expires, now >= expires { return .failure(.expiredAPIKey) }
        return .success(entry.principal)
    }
}

/// Whole-file reads without Foundation (the runtime links no more than it needs).
public enum FileBytes {
    /// The file's bytes, or nil if it cannot be read or is over `limit`.
    public static func read(_ path: String, limit: Int = 64 << 20) -> [UInt8]? {
        guard let file = fopen(path, "rb") else { return nil }
        defer { fclose(file) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65_536)
        while true {
            let count = fread(&chunk, 1, chunk.count, file)
            if count > 0 { bytes += chunk[0..<count] }
            if bytes.count > limit { return nil }
            if count < chunk.count { return ferror(file) == 0 ? bytes : nil }
        }
    }
}
