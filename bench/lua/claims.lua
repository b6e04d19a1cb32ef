-- Each connection claims a task, then completes it with the lock it got, and so on.
-- Counts claims, completions and anything else, and prints them at the end.
local board = os.getenv("BOARD") or "bench"
local threads = {}
pending = nil
claimed, completed, empty, other = 0, 0, 0, 0 -- globals: done() reads them per thread

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  wrk.headers["Authorization"] = "Bearer " .. (os.getenv("BENCH_TOKEN") or "")
  wrk.headers["Content-Type"] = "application/json"
end

request = function()
  if pending then
    local p = pending
    pending = nil
    return wrk.format("POST", "/api/tasks/" .. p.id .. "/complete", nil, '{"lock":"' .. p.lock .. '","result":"ok"}')
  end
  return wrk.format("POST", "/api/boards/" .. board .. "/claims", nil, '{"worker":"wrk","ttlSeconds":600}')
end

response = function(status, headers, body)
  if status == 200 then
    local id = body:match('"task":{"id":"([^"]+)"')
    local lock = body:match('"lock":"([^"]+)"')
    if id and lock then
      claimed = claimed + 1
      pending = { id = id, lock = lock }
    elseif body:match('"status":"done"') then
      completed = completed + 1
    else
      other = other + 1
    end
  elseif status == 204 then
    empty = empty + 1
  else
    other = other + 1
  end
end

function done(summary, latency, requests)
  local c, d, e, o = 0, 0, 0, 0
  for _, t in ipairs(threads) do
    c = c + (t:get("claimed") or 0)
    d = d + (t:get("completed") or 0)
    e = e + (t:get("empty") or 0)
    o = o + (t:get("other") or 0)
  end
  io.write(string.format("claims=%d completes=%d empty=%d other=%d\n", c, d, e, o))
end
