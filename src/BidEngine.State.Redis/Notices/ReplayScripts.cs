namespace BidEngine.State.Redis.Notices;

/// <summary>
/// The shared replay window's scripts: one integer per bid (<c>{p}r:{bid}</c>), kept until the bid's
/// tokens expire: the mark bits in its low 8 bits, and above them (× 256) the attempt token of the call
/// that last marked it (epoch × 2^22 + sequence, under 2^45, so the integer stays under 2^53 and exact
/// in Lua's doubles). Scripts from before the token keep the high bits (they add and subtract marks)
/// and their callers read the marks as a byte, so both can run side by side in a rolling deploy.
/// No bit library (Redis has Lua 5.1's <c>bit</c>, Garnet does not): marks are 8 bits, ANDed by halving.
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
        local function mine(owner, lost)
          if owner == 0 then return false end
          for t in string.gmatch(lost, '%d+') do
            if tonumber(t) == owner then return true end
          end
          return false
        end
        local function keepttl(key, value)
          local ttl = redis.call('PTTL', key)
          redis.call('SET', key, value)
          if ttl > 0 then redis.call('PEXPIRE', key, int(ttl)) end
        end

        """;

    /// <summary>
    /// Args: mark, requires, conflicts, expires at (Unix s), now (Unix s), this attempt's token, this
    /// node's lost attempts for the bid and mark ("t1,t2" or empty). Returns {0 added | 1 replayed |
    /// 2 missing required | 3 conflicting | 4 claimed, marks before}. Claimed: the mark is there and was
    /// made by one of the lost attempts (the store ran it, its reply never came), so this retry is that
    /// notice's first answer; the token becomes this attempt's, so a late take-back of the lost one no
    /// longer matches.
    /// </summary>
    public const string TryMark = And + """
        local v = tonumber(redis.call('GET', KEYS[1]) or '-1')
        local mark, req, conf = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3])
        local tok = tonumber(ARGV[6])
        if v < 0 then
          if req ~= 0 then return {2, 0} end
          redis.call('SET', KEYS[1], int(tok * 256 + mark))
          redis.call('EXPIREAT', KEYS[1], ARGV[4])
          return {0, 0}
        end
        local marks = v % 256
        if band(marks, mark) ~= 0 then
          if mine(math.floor(v / 256), ARGV[7]) then
            keepttl(KEYS[1], int(tok * 256 + marks))
            return {4, marks - band(marks, mark)}
          end
          return {1, marks}
        end
        if band(marks, conf) ~= 0 then return {3, marks} end
        if band(req, marks) ~= req then return {2, marks} end
        local ttl = redis.call('TTL', KEYS[1])
        redis.call('SET', KEYS[1], int(tok * 256 + marks + mark))
        if ttl < 0 or tonumber(ARGV[4]) > tonumber(ARGV[5]) + ttl then
          redis.call('EXPIREAT', KEYS[1], ARGV[4])
        else
          redis.call('EXPIRE', KEYS[1], int(ttl))
        end
        return {0, marks}
        """;

    /// <summary>Args: mark. Clears those bits and keeps the expiry (and the token).</summary>
    public const string Unmark = And + """
        local v = tonumber(redis.call('GET', KEYS[1]) or '-1')
        if v < 0 then return 0 end
        keepttl(KEYS[1], int(v - band(v % 256, tonumber(ARGV[1]))))
        return 1
        """;

    /// <summary>
    /// Takes back the mark of attempts whose reply was lost (they were answered Unavailable, so the
    /// exchange retries, maybe at another node), if the mark is still theirs. Args: lost attempts
    /// ("t1,t2"), mark. Returns 1 if taken back, 0 if nothing of theirs was there.
    /// </summary>
    public const string TakeBack = And + """
        local v = tonumber(redis.call('GET', KEYS[1]) or '-1')
        if v < 0 or not mine(math.floor(v / 256), ARGV[1]) then return 0 end
        local marks = v % 256
        keepttl(KEYS[1], int(marks - band(marks, tonumber(ARGV[2]))))
        return 1
        """;
}
