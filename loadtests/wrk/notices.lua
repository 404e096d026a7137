-- Fires billing notices for notices.sh: GETs the paths in $WRK_NOTICES one after the other, the
-- exchange's macros filled in (clearing price $WRK_PRICE CPM, default 0.01, never above a bid; USD),
-- and starts over at the end (those are replays: answered 204, counted once). $WRK_NOTICE_MODE:
--   fresh   (default) every path in turn: each billing notice settles its own reservation once
--   replay  the first path over and over: verified, then refused as a replay
--   forged  the first path with one character of its token changed: refused 403 before any state
-- Run it with -t1: each wrk thread would walk the same list.
local price = os.getenv("WRK_PRICE") or "0.01"
local mode = os.getenv("WRK_NOTICE_MODE") or "fresh"
local urls = {}
local list = os.getenv("WRK_NOTICES")
assert(list, "WRK_NOTICES is not set")
for line in io.lines(list) do
  local filled = line:gsub("%${AUCTION_PRICE}", price):gsub("%${AUCTION_CURRENCY}", "USD")
  urls[#urls + 1] = filled
end
assert(#urls > 0, "no notice URLs in " .. list)

if mode == "replay" then
  urls = { urls[1] }
elseif mode == "forged" then
  local url = urls[1]
  local at = url:find("?t=", 1, true) + 13
  local c = url:sub(at, at) == "x" and "y" or "x"
  urls = { url:sub(1, at - 1) .. c .. url:sub(at + 1) }
end

local i = 0
function request()
  i = i + 1
  if i > #urls then
    i = 1
  end
  return wrk.format("GET", urls[i])
end

function done(summary, latency, requests)
  io.write(string.format("errors: connect %d, read %d, write %d, status %d, timeout %d\n",
    summary.errors.connect, summary.errors.read, summary.errors.write, summary.errors.status, summary.errors.timeout))
end
