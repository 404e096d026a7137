namespace BidEngine.State.Redis.Budgets;

/// <summary>
/// The ledger's store side: every change of shared money is one of these scripts, run atomically by
/// the store (Garnet needs <c>--lua --lua-transaction-mode</c> for that; every key a script touches is
/// declared). Amounts pass through Lua numbers (doubles), exact up to 2^53 nanos (9,007,199 units
/// of a currency per campaign). Every number goes back to the store through <c>int()</c> (<c>%d</c>):
/// Redis writes a Lua number as %.17g, and "-0" or "1e+15" is no integer to HINCRBY; a script that
/// fails half-way is not rolled back (the writes before the error stay), so no call may fail.
/// </summary>
internal static class LeaseScripts
{
    /// <summary>
    /// Reaps the campaign's lapsed node leases (their amounts go back to the pool), then moves this
    /// node's slice by the wanted deltas: a grant is at most limit − spent − leased, a return at most
    /// what the node holds. Renews the node's expiry (store clock: TIME). Keys: budget hash, day hash,
    /// lease hash, expiry zset. Args: epoch, total limit (−1 none), daily limit (−1 none), day, want
    /// total, want day, ttl ms, day-hash ttl s. Returns slice, day slice, version, spent, leased, day
    /// spent, day leased, nodes holding.
    /// </summary>
    public const string Lease = """
        local function int(x) return string.format('%d', x) end
        local t = redis.call('TIME')
        local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
        local me = ARGV[1]
        local day = ARGV[4]
        local lapsed = redis.call('ZRANGEBYSCORE', KEYS[4], '-inf', now)
        for _, e in ipairs(lapsed) do
          local amt = tonumber(redis.call('HGET', KEYS[3], e) or '0')
          redis.call('HINCRBY', KEYS[1], 'leased', int(-amt))
          if redis.call('HGET', KEYS[3], e .. ':n') == day then
            redis.call('HINCRBY', KEYS[2], 'leased', int(-tonumber(redis.call('HGET', KEYS[3], e .. ':d') or '0')))
          end
          redis.call('HDEL', KEYS[3], e, e .. ':d', e .. ':n')
          if e ~= me then redis.call('HDEL', KEYS[3], e .. ':v') end
          redis.call('ZREM', KEYS[4], e)
        end
        local cur = tonumber(redis.call('HGET', KEYS[3], me) or '0')
        local dcur = 0
        if redis.call('HGET', KEYS[3], me .. ':n') == day then
          dcur = tonumber(redis.call('HGET', KEYS[3], me .. ':d') or '0')
        end
        local b = redis.call('HMGET', KEYS[1], 'spent', 'leased')
        local spent, leased = tonumber(b[1] or '0'), tonumber(b[2] or '0')
        local d = redis.call('HMGET', KEYS[2], 'spent', 'leased')
        local dspent, dleased = tonumber(d[1] or '0'), tonumber(d[2] or '0')
        local function grant(want, limit, held, used)
          if limit < 0 then return -held end
          if want >= 0 then return math.max(0, math.min(want, limit - used)) end
          return math.max(want, -held)
        end
        local gt = grant(tonumber(ARGV[5]), tonumber(ARGV[2]), cur, spent + leased)
        local gd = grant(tonumber(ARGV[6]), tonumber(ARGV[3]), dcur, dspent + dleased)
        cur = cur + gt
        dcur = dcur + gd
        leased = leased + gt
        dleased = dleased + gd
        redis.call('HINCRBY', KEYS[1], 'leased', int(gt))
        redis.call('HSET', KEYS[1], 'limit', ARGV[2])
        redis.call('HINCRBY', KEYS[2], 'leased', int(gd))
        redis.call('HSET', KEYS[2], 'limit', ARGV[3])
        redis.call('EXPIRE', KEYS[2], ARGV[8])
        redis.call('HSET', KEYS[3], me, int(cur), me .. ':d', int(dcur), me .. ':n', day)
        local ver = redis.call('HINCRBY', KEYS[3], me .. ':v', 1)
        redis.call('ZADD', KEYS[4], int(now + tonumber(ARGV[7])), me)
        return {cur, dcur, ver, spent, leased, dspent, dleased, redis.call('ZCARD', KEYS[4])}
        """;

    /// <summary>
    /// A billing notice: spent += c (total and the settling node's day), once per bid (the marker key
    /// makes a retried settle a no-op and says who made it). With cover=1 and the owner's lease alive,
    /// c is taken out of the owner's slice and the pool's leased (the money was held there); when the
    /// owner is another node (alive: lease or heartbeat) it hears of it through its inbox. Keys: budget
    /// hash, day hash, lease hash, marker, owner's inbox, owner's heartbeat. Args: owner, me, c, marker
    /// ttl ms, bid id, campaign, cover, day, day ttl s. Returns {-1, epoch that settled it} for a repeat,
    /// else covered, slice, day slice, version, spent, day spent, slice's day, pushed (slice −1: the
    /// owner holds no lease).
    /// </summary>
    public const string Settle = """
        local function int(x) return string.format('%d', x) end
        local prior = redis.call('GET', KEYS[4])
        if prior then return {-1, tonumber(prior)} end
        redis.call('SET', KEYS[4], ARGV[2], 'PX', ARGV[4])
        local c = tonumber(ARGV[3])
        local spent = redis.call('HINCRBY', KEYS[1], 'spent', ARGV[3])
        local dspent = redis.call('HINCRBY', KEYS[2], 'spent', ARGV[3])
        redis.call('EXPIRE', KEYS[2], ARGV[9])
        local owner = ARGV[1]
        local covered, slice, dslice, ver = 0, -1, -1, -1
        local cur = nil
        local n = tonumber(redis.call('HGET', KEYS[3], owner .. ':n') or '-1')
        if ARGV[7] == '1' then cur = tonumber(redis.call('HGET', KEYS[3], owner) or 'x') end
        if cur then
          covered = math.min(c, cur)
          slice = cur - covered
          redis.call('HSET', KEYS[3], owner, int(slice))
          redis.call('HINCRBY', KEYS[1], 'leased', int(-covered))
          dslice = tonumber(redis.call('HGET', KEYS[3], owner .. ':d') or '0')
          if redis.call('HGET', KEYS[3], owner .. ':n') == ARGV[8] then
            local dc = math.min(c, dslice)
            dslice = dslice - dc
            redis.call('HSET', KEYS[3], owner .. ':d', int(dslice))
            redis.call('HINCRBY', KEYS[2], 'leased', int(-dc))
          end
          ver = redis.call('HINCRBY', KEYS[3], owner .. ':v', 1)
        end
        local pushed = 0
        if owner ~= ARGV[2] and ARGV[7] == '1' and (cur or redis.call('EXISTS', KEYS[6]) == 1) then
          redis.call('RPUSH', KEYS[5], ARGV[5] .. '|S|' .. ARGV[3] .. '|' .. string.format('%d|%d|%d|%d', slice, dslice, ver, n) .. '|' .. ARGV[6])
          redis.call('PEXPIRE', KEYS[5], ARGV[4])
          pushed = 1
        end
        return {covered, slice, dslice, ver, spent, dspent, n, pushed}
        """;

    /// <summary>
    /// A loss notice for another node's bid: onto the owner's inbox if the owner is alive (its heartbeat
    /// key stands). Keys: owner's heartbeat, owner's inbox. Args: bid id, campaign, inbox ttl ms. Returns 1 if pushed.
    /// </summary>
    public const string Release = """
        if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
        redis.call('RPUSH', KEYS[2], ARGV[1] .. '|R|0|-1|-1|-1|-1|' .. ARGV[2])
        redis.call('PEXPIRE', KEYS[2], ARGV[3])
        return 1
        """;

    /// <summary>
    /// The loop's first call each turn: renews this node's heartbeat and takes up to N inbox items.
    /// Keys: heartbeat, inbox. Args: heartbeat ttl ms, N.
    /// </summary>
    public const string Drain = """
        redis.call('SET', KEYS[1], '1', 'PX', ARGV[1])
        local items = redis.call('LRANGE', KEYS[2], 0, tonumber(ARGV[2]) - 1)
        if #items > 0 then redis.call('LTRIM', KEYS[2], #items, -1) end
        return items
        """;
}
