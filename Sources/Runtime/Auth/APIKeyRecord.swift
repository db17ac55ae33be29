/// One key in the store: who holds it, what it may do, and its hash, never the key.
public struct APIKeyRecord: Sendable, Equatable {
    public enum Status: String, Sendable { case active, revoked }

    public var id: String
    /// `hmac-sha256:<64 hex digits>`.
    public var hash: String
    public var owner: String
    public var roles: [String]
    /// A plan from `auth.api-keys.plans`, for the key's own rate limit.
    public var plan: String?
    public var status: Status
    public var created: Int64
    /// Milliseconds since the epoch; nil never expires.
    public var expires: Int64?

    public init(id: String, hash: String, owner: String, roles: [String], plan: String?, status: Status, created: Int64, expires: Int64?) {
        self.id = id
        self.hash = hash
        self.owner = owner
        self.roles = roles
        self.plan = plan
        self.status = status
        self.created = created
        self.expires = expires
    }

    /// The MAC bytes from `hash`, or nil when it is not a well-formed HMAC-SHA256.
    var storedMAC: [UInt8]? {
        guard hash.hasPrefix("hmac-sha256:") else { return nil }
        let hex = Array(hash.utf8.dropFirst("hmac-sha256:".count))
        guard hex.count == 64 else { return nil }
        var bytes: [UInt8] = []
        for index in stride(from: 0, to: 64, by: 2) {
            guard let byte = UInt8(String(decoding: hex[index..<(index + 2)], as: UTF8.self), radix: 16) else { return nil }
            bytes.append(byte)
        }
        return bytes
    }
}

/// The key store file: JSON, so the runtime reads it without the spec toolchain.
/// `{"keys": [{"id", "hash", "owner", "roles", "plan", "status", "created", "expires"}]}`.
public enum APIKeyStoreFile {
    public static func decode(_ bytes: [UInt8]) throws(KeyError) -> [APIKeyRecord] {
        guard let json = JSONParser.parse(bytes), !json.hasDuplicateMembers, case .array(let entries)? = json["keys"] else {
            throw KeyError("the key store is not JSON with a \"keys\" array")
        }
        var records: [APIKeyRecord] = []
        var seen: Set<String> = []
        for (index, entry) in entries.enumerated() {
            guard let id = entry["id"]?.stringValue, let hash = entry["hash"]?.stringValue, let owner = entry["owner"]?.stringValue,
                  let statusText = entry["status"]?.stringValue, let status = APIKeyRecord.Status(rawValue: statusText),
                  let created = entry["created"]?.stringValue.flatMap(Timestamp.parse) else {
                throw KeyError("key \(index): needs id, hash, owner, status (active or revoked) and created")
            }
            var expires: Int64?
            if let text = entry["expires"]?.stringValue {
                guard let time = Timestamp.parse(text) else { throw KeyError("key \(id): expires is not a UTC timestamp") }
                expires = time
            }
            let roles: [String]
            if case .array(let list)? = entry["roles"] { roles = list.compactMap(\.stringValue) } else { roles = [] }
            let record = APIKeyRecord(id: id, hash: hash, owner: owner, roles: roles, plan: entry["plan"]?.stringValue, status: status,
                                      created: created, expires: expires)
            guard record.storedMAC != nil else { throw KeyError("key \(id): hash must be hmac-sha256:<64 hex digits>") }
            guard seen.insert(id).inserted else { throw KeyError("key \(id) appears twice") }
            records.append(record)
        }
        return records
    }

    public static func encode(_ records: [APIKeyRecord]) -> [UInt8] {
        var out = "{\n  \"keys\": ["
        for (index, record) in records.enumerated() {
            out += index == 0 ? "\n" : ",\n"
            var fields = [("id", Problem.json(record.id)), ("hash", Problem.json(record.hash)), ("owner", Problem.json(record.owner)),
                          ("roles", "[" + record.roles.map(Problem.json).joined(separator: ", ") + "]")]
            if let plan = record.plan { fields.append(("plan", Problem.json(plan))) }
            fields.append(("status", Problem.json(record.status.rawValue)))
            fields.append(("created", Problem.json(Timestamp.format(record.created))))
            if let expires = record.expires { fields.append(("expires", Problem.json(Timestamp.format(expires)))) }
            out += "    {" + fields.map { "\"\($0.0)\": \($0.1)" }.joined(separator: ", ") + "}"
        }
        out += records.isEmpty ? "]\n}\n" : "\n  ]\n}\n"
        return Array(out.utf8)
    }
}
