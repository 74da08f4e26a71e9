-- Vapi assistant-request fixture with a unique call id per request (so retry de-duplication does not
-- replay answers), X-Vapi-Secret auth. RUN_ID (env, unique per wrk invocation) keeps ids unique across runs:
-- the router de-duplicates retries for 10 minutes, so a repeated id would be answered from its cache. PACE_MS (env) > 0 adds a per-connection delay for a fixed rate.
local counter = 0
local pace = tonumber(os.getenv("PACE_MS") or "0")
local template = '{"message":{"type":"assistant-request","timestamp":1735689600000,"call":{"id":"CALLID","orgId":"org_1","type":"inboundPhoneCall","status":"ringing","phoneNumberId":"pn_1","customer":{"number":"+14155550100"}},"phoneNumber":{"provider":"twilio","number":"+14155550199"},"customer":{"number":"+14155550100"}}}'
local run = os.getenv("RUN_ID") or tostring(os.time())
local threads = 0
-- runs in the main Lua state; thread:set makes `tid` a GLOBAL of that thread's own state (a `local tid` here
-- would shadow it and every thread would send the same ids)
function setup(thread)
  threads = threads + 1
  thread:set("tid", threads)
end
function request()
  counter = counter + 1
  local body = string.gsub(template, "CALLID", "bench-" .. run .. "-" .. tostring(tid) .. "-" .. tostring(counter))
  return wrk.format("POST", "/webhooks/vapi", {["Content-Type"] = "application/json", ["X-Vapi-Secret"] = "bench_secret"}, body)
end
function delay()
  return pace
end
-- the tail beyond wrk's --latency percentiles (50/75/90/99)
function done(summary, latency, requests)
  io.write(string.format("  p99.9 %.3fms  max %.3fms\n", latency:percentile(99.9) / 1000, latency.max / 1000))
end
