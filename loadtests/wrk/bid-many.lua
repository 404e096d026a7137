-- As bid.lua, but each request comes from one of 4,096 devices and users: the body's "ip" and "user"
-- ids are rewritten per request from prepared copies (wrk formats them once, in init), so per-address
-- and per-user state sees traffic spread as an exchange sends it instead of one hot key.
-- Body file: $WRK_BODY (it must hold "ip":"203.0.113.9" and "id":"u-de-77"); path: $WRK_PATH.
local path = os.getenv("WRK_BODY") or "loadtests/traffic/passes-every-check.json"
local f = assert(io.open(path, "rb"), "cannot open " .. path)
local template = f:read("*a")
f:close()
local route = os.getenv("WRK_PATH") or "/openrtb2/bid"
local headers = { ["Content-Type"] = "application/json", ["x-openrtb-version"] = "2.6" }
local requests = {}
local count = 4096

function init(args)
  for i = 0, count - 1 do
    local body, n = template:gsub('"ip": "203%.0%.113%.9"', string.format('"ip": "203.0.%d.%d"', 112 + (i % 2), 1 + math.floor(i / 2) % 254))
    assert(n == 1, "the body has no \"ip\": \"203.0.113.9\" to rewrite")
    body = body:gsub('"id": "u%-de%-77"', string.format('"id": "u-de-%d"', i))
    requests[i + 1] = wrk.format("POST", route, headers, body)
  end
end

local next_request = 0
function request()
  next_request = next_request % count + 1
  return requests[next_request]
end

function done(summary, latency, requests)
  io.write(string.format("errors: connect %d, read %d, write %d, status %d, timeout %d\n",
    summary.errors.connect, summary.errors.read, summary.errors.write, summary.errors.status, summary.errors.timeout))
end
