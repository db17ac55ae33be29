import Artifact

/// One rate limit as decisions use it, prepared once per engine: the artifact's
/// entry, its rate, and the constant start of the RateLimit headers it produces
/// (`RateLimit-Policy` and the `RateLimit` line up to `remaining=`), so a reply
/// writes two numbers instead of rendering five.
public final class PreparedLimit: Sendable {
    public let entry: LimitEntry
    /// Tokens per millisecond, to compare limits by strictness.
    let rate: Double
    let headerPrefix: [UInt8]

    public init(_ entry: LimitEntry) {
        self.entry = entry
        rate = Double(entry.count) / Double(max(1, entry.periodMilliseconds))
        headerPrefix = ByteWriter.bytes(capacity: 96) { out in
            out.writeLine("ratelimit-policy: ", own: { out in
                out.write(decimal: Int64(entry.count))
                out.write(";w=")
                out.write(decimal: max(1, Int64(entry.periodMilliseconds / 1_000)))
                out.write(";burst=")
                out.write(decimal: Int64(entry.burst))
            })
            out.write("ratelimit: limit=")
            out.write(decimal: Int64(entry.count))
            out.write(", remaining=")
        }
    }
}
