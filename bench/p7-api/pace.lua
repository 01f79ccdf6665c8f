-- Paces each wrk connection: after a response it waits so that all connections together send about
-- RATE requests per second (wrk 4 has no fixed-rate mode; this is the closest it comes).
local rate = tonumber(os.getenv("P7_RATE") or "500")
local connections = tonumber(os.getenv("P7_CONNECTIONS") or "10")
local token = os.getenv("P7_TOKEN")

function setup(thread) end

request = function()
  return wrk.format("GET", nil, { ["Authorization"] = "Bearer " .. token })
end

delay = function()
  return math.floor(connections * 1000 / rate)
end
