-- A mix for the soak: sidebar polls, message reads and appends, project list, claims and completes.
local sessions = tonumber(os.getenv("SESSIONS") or "10000")
local board = os.getenv("BOARD") or "bench"
local pending = nil
local n = 0
math.randomseed(os.time())

function init(args)
  wrk.headers["Authorization"] = "Bearer " .. (os.getenv("BENCH_TOKEN") or "")
  wrk.headers["Content-Type"] = "application/json"
end

request = function()
  n = n + 1
  if pending then
    local p = pending
    pending = nil
    return wrk.format("POST", "/api/tasks/" .. p.id .. "/complete", nil, '{"lock":"' .. p.lock .. '"}')
  end
  local r = n % 10
  local id = string.format("s_bench_%06d", math.random(0, sessions - 1))
  if r < 4 then
    return wrk.format("GET", "/api/sessions?limit=50")
  elseif r < 6 then
    return wrk.format("GET", "/api/sessions/" .. id .. "/messages?limit=50")
  elseif r == 6 then
    return wrk.format("POST", "/api/sessions/" .. id .. "/messages", nil, '{"role":"assistant","content":"soak"}')
  elseif r == 7 then
    return wrk.format("GET", "/api/projects")
  else
    return wrk.format("POST", "/api/boards/" .. board .. "/claims", nil, '{"worker":"soak","ttlSeconds":2}')
  end
end

response = function(status, headers, body)
  if status == 200 then
    local id = body:match('"task":{"id":"([^"]+)"')
    local lock = body:match('"lock":"([^"]+)"')
    if id and lock and math.random() < 0.7 then
      pending = { id = id, lock = lock } -- the rest are left to expire: the dispatcher reclaims them
    end
  end
end
