-- Each connection claims, then completes what it got with the lock it got, and so on.
--   BATCH=n     claim up to n tasks per request (POST .../claims/batch); default 1 (POST .../claims)
--   COMPLETE=0  claims only: never complete (the board drains; reset it between runs)
-- Counts claims, completions and anything else, and prints them at the end.
local board = os.getenv("BOARD") or "bench"
local batch = tonumber(os.getenv("BATCH") or "1")
local complete = (os.getenv("COMPLETE") or "1") ~= "0"
local threads = {}
local pending = {}
claimed, completed, empty, other = 0, 0, 0, 0 -- globals: done() reads them per thread

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  wrk.headers["Authorization"] = "Bearer " .. (os.getenv("BENCH_TOKEN") or "")
  wrk.headers["Content-Type"] = "application/json"
end

request = function()
  local p = table.remove(pending)
  if p then
    return wrk.format("POST", "/api/tasks/" .. p.id .. "/complete", nil, '{"lock":"' .. p.lock .. '","result":"ok"}')
  end
  if batch > 1 then
    return wrk.format("POST", "/api/boards/" .. board .. "/claims/batch", nil,
      '{"worker":"wrk","ttlSeconds":600,"max":' .. batch .. '}')
  end
  return wrk.format("POST", "/api/boards/" .. board .. "/claims", nil, '{"worker":"wrk","ttlSeconds":600}')
end

-- a claim's task id and lock; in a batch response each claim object holds one "task" and one "lock"
local function claims_in(body)
  local found = {}
  for id, lock in body:gmatch('"task":{"id":"([^"]+)".-"lock":"([^"]+)"') do
    table.insert(found, { id = id, lock = lock })
  end
  return found
end

response = function(status, headers, body)
  if status == 200 then
    if body:match('^{"claims":') or body:match('^{"task":') then
      local found = claims_in(body)
      if #found == 0 then
        empty = empty + 1
      end
      for _, c in ipairs(found) do
        claimed = claimed + 1
        if complete then
          table.insert(pending, c)
        end
      end
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
