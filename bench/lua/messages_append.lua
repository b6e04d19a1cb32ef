-- POST a message to a random benchmark session
local sessions = tonumber(os.getenv("SESSIONS") or "10000")
-- the ids' pattern: bench/generate.py's by default; "h%06d" for a hermes fixture imported (bench/large.sh)
local format = os.getenv("SESSION_FORMAT") or "s_bench_%06d"
math.randomseed(os.time())

function init(args)
  wrk.headers["Authorization"] = "Bearer " .. (os.getenv("BENCH_TOKEN") or "")
end
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
request = function()
  local id = string.format(format, math.random(0, sessions - 1))
  local body = '{"role":"user","content":"benchmark message with a little text in it","token_count":12}'
  return wrk.format("POST", "/api/sessions/" .. id .. "/messages", nil, body)
end
