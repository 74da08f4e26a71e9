-- Vapi assistant-request fixture with a unique call id per request (so retry de-duplication does not
-- replay answers), X-Vapi-Secret auth. PACE_MS (env) > 0 adds a per-connection delay for a fixed rate.
local counter = 0
local pace = tonumber(os.getenv("PACE_MS") or "0")
local template = '{"message":{"type":"assistant-request","timestamp":1735689600000,"call":{"id":"CALLID","orgId":"org_1","type":"inboundPhoneCall","status":"ringing","phoneNumberId":"pn_1","customer":{"number":"+14155550100"}},"phoneNumber":{"provider":"twilio","number":"+14155550199"},"customer":{"number":"+14155550100"}}}'
local tid = 0
function setup(thread)
  tid = tid + 1
  thread:set("tid", tid)
end
function request()
  counter = counter + 1
  local body = string.gsub(template, "CALLID", "bench-" .. tostring(tid) .. "-" .. tostring(counter) .. "-" .. tostring(math.random(1, 1000000000)))
  return wrk.format("POST", "/webhooks/vapi", {["Content-Type"] = "application/json", ["X-Vapi-Secret"] = "bench_secret"}, body)
end
function delay()
  return pace
end
