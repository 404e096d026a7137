namespace BidEngine.State.Redis.Notices;

/// <summary>
/// The shared replay window's scripts: one integer of mark bits per bid (<c>{p}r:{bid}</c>), kept
/// until the bid's tokens expire. No bit library (Redis has Lua 5.1's <c>bit</c>, Garnet does not):
/// marks are 8 bits, ANDed by halving.
/// </summary>
internal static class ReplayScripts
{
    private const string And = """
        local function int(x) return string.format('%d', x) end
        local function band(a, b)
          local r, bit = 0, 1
          while a > 0 and b > 0 do
            if a % 2 == 1 and b % 2 == 1 then r = r + bit end
            a = math.floor(a / 2)
            b = math.floor(b / 2)
            bit = bit * 2
          end
          return r
        end

        """;

    /// <summary>Args: mark, requires, conflicts, expires at (Unix s), now (Unix s). Returns {0 added | 1 replayed | 2 missing required | 3 conflicting, marks before}.</summary>
    public const string TryMark = And + """
        local v = tonumber(redis.call('GET', KEYS[1]) or '-1')
        local mark, req, conf = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3])
        if v < 0 then
          if req ~= 0 then return {2, 0} end
          redis.call('SET', KEYS[1], ARGV[1])
          redis.call('EXPIREAT', KEYS[1], ARGV[4])
          return {0, 0}
        end
        if band(v, mark) ~= 0 then return {1, v} end
        if band(v, conf) ~= 0 then return {3, v} end
        if band(req, v) ~= req then return {2, v} end
        local ttl = redis.call('TTL', KEYS[1])
        redis.call('SET', KEYS[1], int(v + mark))
        if ttl < 0 or tonumber(ARGV[4]) > tonumber(ARGV[5]) + ttl then
          redis.call('EXPIREAT', KEYS[1], ARGV[4])
        else
          redis.call('EXPIRE', KEYS[1], int(ttl))
        end
        return {0, v}
        """;

    /// <summary>Args: mark. Clears those bits and keeps the expiry.</summary>
    public const string Unmark = And + """
        local v = tonumber(redis.call('GET', KEYS[1]) or '-1')
        if v < 0 then return 0 end
        local ttl = redis.call('PTTL', KEYS[1])
        redis.call('SET', KEYS[1], int(v - band(v, tonumber(ARGV[1]))))
        if ttl > 0 then redis.call('PEXPIRE', KEYS[1], int(ttl)) end
        return 1
        """;
}
