-- wrk script for bench/flags.ts: POSTs OFREP evaluation requests to the URL's path, cycling through
-- 1,000 prebuilt requests (different targeting keys, a third of them on the "pro" plan that the flag's
-- rule targets), so the server sees the rollout split and the rule, not one cached answer.
-- The token comes from MEDIC_TOKEN (sent as X-API-Key, as OFREP providers do).
local requests = {}
local count = 1000
local i = 0

function init(args)
  local headers = { ["Content-Type"] = "application/json" }
  local token = os.getenv("MEDIC_TOKEN")
  if token and token ~= "" then headers["X-API-Key"] = token end
  for n = 1, count do
    local plan = (n % 3 == 0) and "pro" or "free"
    local body = string.format('{"context":{"targetingKey":"user-%d","plan":"%s","country":"US"}}', n, plan)
    requests[n] = wrk.format("POST", nil, headers, body)
  end
end

function request()
  i = i % count + 1
  return requests[i]
end
