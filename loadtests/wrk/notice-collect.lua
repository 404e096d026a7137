-- Collects billing notice URLs for notices.sh: POSTs the bid request ($WRK_BODY) and appends the
-- path and query of every answer's burl to $WRK_NOTICES_OUT, one a line. The response() callback
-- makes wrk hand each answer to Lua (about half its rate): this pass only gathers, it is not measured.
local path = os.getenv("WRK_BODY") or "corpus/requests/app-banner-phone-usa-2.6.json"
local f = assert(io.open(path, "rb"), "cannot open " .. path)
wrk.method = "POST"
wrk.path = "/openrtb2/bid"
wrk.body = f:read("*a")
f:close()
wrk.headers["Content-Type"] = "application/json"
wrk.headers["x-openrtb-version"] = "2.6"

local target = os.getenv("WRK_NOTICES_OUT")
assert(target, "WRK_NOTICES_OUT is not set")
local out = assert(io.open(target, "a"))

function response(status, headers, body)
  if status ~= 200 then
    return
  end
  local burl = body:match('"burl":"([^"]+)"')
  if burl then
    -- The default JSON encoder writes & as \u0026.
    burl = burl:gsub("\\u0026", "&")
    out:write(burl:match("^https?://[^/]+(/.*)$"), "\n")
  end
end
