/// A rate limit written as `50/s`, `1000/min`, `10/h` or `20/s burst 40`.
///
/// Without `burst` the burst equals the count: a client may spend one period's
/// allowance at once, then refills at the steady rate. A burst below the count
/// smooths traffic (`1000/min burst 20`: about 17/s, never more than 20 at once).
public struct Rate: Sendable, Hashable, CustomStringConvertible {
    public enum Period: String, Sendable, Hashable, CaseIterable {
        case second = "s", minute = "min", hour = "h", day = "d"

        public var milliseconds: Int64 {
            switch self {
            case .second: 1_000
            case .minute: 60_000
            case .hour: 3_600_000
            case .day: 86_400_000
            }
        }
    }

    public var count: Int
    public var period: Period
    public var burst: Int

    public init(count: Int, per period: Period, burst: Int? = nil) {
        self.count = count
        self.period = period
        self.burst = burst ?? count
    }

    public var description: String {
        burst == count ? "\(count)/\(period.rawValue)" : "\(count)/\(period.rawValue) burst \(burst)"
    }

    /// Why a text is not a rate, in words fit for a diagnostic.
    public enum ParseError: Error, Equatable {
        case malformed
        case zero
    }

    public static func parse(_ text: String) -> Result<Rate, ParseError> {
        let words = text.split(separator: " ", omittingEmptySubsequences: true)
        guard words.count == 1 || (words.count == 3 && words[1] == "burst") else { return .failure(.malformed) }
        let parts = words[0].split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, let count = Int(parts[0]), !parts[0].hasPrefix("+"), !parts[0].hasPrefix("-"),
              let period = Period(rawValue: String(parts[1])) ?? Self.periodAliases[String(parts[1])]
        else { return .failure(.malformed) }
        var burst: Int?
        if words.count == 3 {
            guard let value = Int(words[2]), value >= 0 else { return .failure(.malformed) }
            burst = value
        }
        if count <= 0 || burst == 0 { return .failure(.zero) }
        return .success(Rate(count: count, per: period, burst: burst))
    }

    private static let periodAliases: [String: Period] = ["sec": .second, "m": .minute, "hour": .hour, "day": .day]
}
