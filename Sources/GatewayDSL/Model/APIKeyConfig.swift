/// `auth.api-keys`: keys for service accounts, stored as peppered hashes.
public struct APIKeyConfig: Sendable {
    /// The request header carrying the key.
    public var header: Located<String>
    /// The key store: hashes, owners, roles, plans, status and expiry.
    public var store: Located<SecretReference>
    /// The secret mixed into every hash, so a leaked store cannot be brute-forced offline.
    public var pepper: Located<SecretReference>
    /// Named rate limits a key's store entry may refer to (per-key limits).
    public var plans: [Plan]
    public var location: SourceLocation

    public struct Plan: Sendable {
        public var name: Located<String>
        public var limit: Located<Rate>
    }
}
