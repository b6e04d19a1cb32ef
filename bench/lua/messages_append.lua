-- POST a message to a random benchmark session
local sessions = tonumber(os.getenv("SESSIONS") or "10000")
math.randomseed(os.time())

function init(args)
  wrk.headers["Authorization"] = "Bearer " .. (os.getenv("BENCH_TOKEN") or "")
end
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
request = function()
  local id = string.format("s_bench_%06d", math.random(0, sessions - 1))
  local body = '{"role":"user","content":"benchmark message with a little text in it","token_count":12}'
  return wrk.format("POST", "/api/sessions/" .. id .. "/messages", nil, body)
end
