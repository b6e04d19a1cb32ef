-- The long-haul load: each connection, in a loop, creates a ready task, claims one, heartbeats it and
-- completes it (four requests per cycle), so new work keeps arriving as it is done. Run it with one
-- connection per wrk thread (the state below is per thread).
--   RATE=n  cycles per second for all connections together (CONNS=c of them): each starts a cycle on
--           its own schedule, every c/n seconds, so the load is constant however fast the service is
--           (a cycle late on its schedule starts at once); RATE=0 (the default): as fast as it answers.
-- Counts cycles (completions) and anything unexpected, printed at the end.
local ffi = require("ffi")
ffi.cdef[[
  typedef struct { long tv_sec; long tv_nsec; } statehouse_timespec;
  int clock_gettime(int clock, statehouse_timespec *ts);
]]
local ts = ffi.new("statehouse_timespec")
local function now_ms()
  ffi.C.clock_gettime(1, ts) -- CLOCK_MONOTONIC
  return tonumber(ts.tv_sec) * 1000 + tonumber(ts.tv_nsec) / 1e6
end
local board = os.getenv("BOARD") or "haul"
local rate = tonumber(os.getenv("RATE") or "0")
local conns = tonumber(os.getenv("CONNS") or "1")
local interval = rate > 0 and 1000 * conns / rate or 0
local threads = {}
local next_cycle = nil
completed, other, step, id, lock = 0, 0, 0, nil, nil

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  wrk.headers["Authorization"] = "Bearer " .. (os.getenv("BENCH_TOKEN") or "")
  wrk.headers["Content-Type"] = "application/json"
end

-- before a cycle's first request: wait for its turn on the schedule
delay = function()
  if interval == 0 or step ~= 0 then
    return 0
  end
  local t = now_ms()
  if next_cycle == nil then
    next_cycle = t + math.random() * interval -- connections start spread over one interval
  end
  local wait = next_cycle - t
  next_cycle = next_cycle + interval
  if wait < 0 then
    return 0
  end
  return wait
end

request = function()
  if step == 0 then
    return wrk.format("POST", "/api/boards/" .. board .. "/tasks", nil,
      '{"title":"long haul","body":"work that arrives and is done","status":"ready"}')
  elseif step == 1 then
    return wrk.format("POST", "/api/boards/" .. board .. "/claims", nil, '{"worker":"haul","ttl_seconds":600}')
  elseif step == 2 then
    return wrk.format("POST", "/api/tasks/" .. id .. "/heartbeat", nil, '{"lock":"' .. lock .. '","ttl_seconds":600}')
  end
  return wrk.format("POST", "/api/tasks/" .. id .. "/complete", nil, '{"lock":"' .. lock .. '","result":"ok"}')
end

response = function(status, headers, body)
  if step == 0 then
    step = (status == 201) and 1 or 0
  elseif step == 1 then
    if status == 200 then
      id = body:match('"task":{"id":"([^"]+)"')
      lock = body:match('"lock":"([^"]+)"')
      step = (id and lock) and 2 or 0
    else
      step = 0
    end
  elseif step == 2 then
    step = (status == 200) and 3 or 0
  else
    if status == 200 then completed = completed + 1 end
    step = 0
  end
  if status >= 300 then other = other + 1 end
end

function done(summary, latency, requests)
  local d, o = 0, 0
  for _, t in ipairs(threads) do
    d = d + (t:get("completed") or 0)
    o = o + (t:get("other") or 0)
  end
  io.write(string.format("completes=%d other=%d\n", d, o))
end
