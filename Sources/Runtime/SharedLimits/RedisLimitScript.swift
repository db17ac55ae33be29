import Artifact

/// GCRA for one request against every bucket it needs, in one Redis script: all or
/// nothing (a request refused by one limit costs no other limit a token), on Redis's
/// clock (one clock for every instance), each bucket one key holding its theoretical
/// arrival time in microseconds and expiring once idle. The same arithmetic as
/// `InMemoryRateLimiter`, so the RateLimit headers read the same either way.
enum RedisLimitScript {
    static let source = """
        local time = redis.call('TIME')
        local now = tonumber(time[1]) * 1000000 + tonumber(time[2])
        local results = {}
        local nexts = {}
        local refused = false
        for i = 1, #KEYS do
          local interval = tonumber(ARGV[2 * i - 1])
          local tolerance = tonumber(ARGV[2 * i])
          local arrival = math.max(tonumber(redis.call('GET', KEYS[i]) or '0'), now)
          local nextArrival = arrival + interval
          local allowAt = nextArrival - tolerance
          if now < allowAt then
            refused = true
            results[i] = {0, 0, allowAt - now, arrival - now}
          else
            nexts[i] = nextArrival
            results[i] = {1, math.floor((tolerance - (nextArrival - now)) / interval), 0, nextArrival - now}
          end
        end
        if not refused then
          for i = 1, #KEYS do
            redis.call('SET', KEYS[i], string.format('%.0f', nexts[i]), 'PX', math.ceil((nexts[i] - now) / 1000) + 1000)
          end
        end
        return results
        """

    /// A bucket's key: the limit's rate, what it counts per and its scope, then whose
    /// bucket. Artifact indexes are not used, so instances on different artifacts (a
    /// rolling deploy) share the buckets of the limits they have in common.
    static func key(_ take: LimitTake, prefix: String) -> String {
        let limit = take.limit
        return "\(prefix)\(limit.count)/\(limit.periodMilliseconds)ms/\(limit.burst)|\(limit.key.name)|\(limit.scope)|\(take.key)"
    }

    /// `EVALSHA sha numkeys key... interval tolerance ...` (microseconds, as `InMemoryRateLimiter`).
    static func command(sha: String, takes: [LimitTake], prefix: String) -> [String] {
        var command = ["EVALSHA", sha, String(takes.count)]
        command += takes.map { key($0, prefix: prefix) }
        for take in takes {
            let interval = max(1, Int64(take.limit.periodMilliseconds) * 1_000 / Int64(max(1, take.limit.count)))
            command += [String(interval), String(interval * Int64(take.limit.burst))]
        }
        return command
    }

    /// The script's reply as one decision per take, or nil if it is not the expected shape.
    static func decisions(_ reply: RESPValue, count: Int) -> [RateDecision]? {
        guard case .array(let items?) = reply, items.count == count else { return nil }
        var decisions: [RateDecision] = []
        for item in items {
            guard case .array(let fields?) = item, fields.count == 4 else { return nil }
            var numbers: [Int64] = []
            for field in fields {
                guard case .integer(let number) = field else { return nil }
                numbers.append(number)
            }
            decisions.append(RateDecision(allowed: numbers[0] == 1, remaining: Int(max(0, numbers[1])),
                                          retryAfterMilliseconds: (numbers[2] + 999) / 1_000, resetMilliseconds: (numbers[3] + 999) / 1_000))
        }
        return decisions
    }
}
