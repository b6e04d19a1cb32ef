-- GET a page of 50 messages of a random benchmark session (ids s_bench_000000 .. SESSIONS-1)
local sessions = tonumber(os.getenv("SESSIONS") or "10000")
math.randomseed(os.time())

function init(args)
  wrk.headers["Authorization"] = "Bearer " .. (os.getenv("BENCH_TOKEN") or "")
end
request = function()
  local id = string.format("s_bench_%06d", math.random(0, sessions - 1))
  return wrk.format("GET", "/api/sessions/" .. id .. "/messages?limit=50")
end
