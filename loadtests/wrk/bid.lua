-- POSTs one OpenRTB corpus request over and over (wrk is closed-model: compare it with
-- `--scenario closed` at the same connection count).
-- Body file: $WRK_BODY, or the README's example request from the repository's corpus
-- (path relative to the repository root, where the README's command runs).
local path = os.getenv("WRK_BODY")
  or "corpus/requests/app-banner-phone-usa-2.6.json"
local f = assert(io.open(path, "rb"), "cannot open " .. path)
wrk.method = "POST"
-- WRK_PATH=/openrtb2/{exchange}/bid posts to an exchange's own route.
wrk.path = os.getenv("WRK_PATH") or "/openrtb2/bid"
wrk.body = f:read("*a")
f:close()
-- WRK_TMAX=100 rewrites the body's tmax (the overload run's window) without a second corpus file.
local tmax = os.getenv("WRK_TMAX")
if tmax and tmax ~= "" then
  local n
  wrk.body, n = wrk.body:gsub('"tmax"%s*:%s*%d+', '"tmax": ' .. tmax)
  assert(n == 1, "WRK_TMAX: the body has no single tmax to rewrite")
end
wrk.headers["Content-Type"] = "application/json"
wrk.headers["x-openrtb-version"] = "2.6"
-- WRK_GZIP=1 asks for gzip answers (Accept-Encoding: gzip).
if os.getenv("WRK_GZIP") == "1" then
  wrk.headers["Accept-Encoding"] = "gzip"
end

-- No response() callback: defining one makes wrk hand every answer to Lua, which halves its rate.
-- Non-2xx/3xx answers still show as "Non-2xx or 3xx responses" in wrk's own summary.
function done(summary, latency, requests)
  io.write(string.format("errors: connect %d, read %d, write %d, status %d, timeout %d\n",
    summary.errors.connect, summary.errors.read, summary.errors.write, summary.errors.status, summary.errors.timeout))
  -- wrk's --latency stops at 99%; the tail needs 99.9% and the max (in ms, for perf.sh to read).
  io.write(string.format("tail: p50 %.3f p99 %.3f p99.9 %.3f max %.3f ms\n",
    latency:percentile(50) / 1000, latency:percentile(99) / 1000, latency:percentile(99.9) / 1000, latency.max / 1000))
end
