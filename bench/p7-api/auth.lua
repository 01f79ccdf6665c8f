-- Sends the viewer token with every request, as fast as the connections allow.
local token = os.getenv("P7_TOKEN")
request = function()
  return wrk.format("GET", nil, { ["Authorization"] = "Bearer " .. token })
end
