# The backup files a router cold-starts from when no control plane answers, for the router benchmarks: the flag
# voice_agent_v2 at 100 % for tenant acme (so acme goes to v2), and the Vapi phone number pn_1 of tenant acme.
# Usage: . bench/lib/router-backup.sh; bench_router_backup FLAG_FILE IDENTIFIERS_FILE
bench_router_backup() {
  cat > "$1" <<JSON
{"version":2,"features":[{"name":"voice_agent_v2","description":"rev=1","type":"release","project":"default","enabled":true,"stale":false,"impressionData":false,"strategies":[{"name":"flexibleRollout","parameters":{"rollout":"100","stickiness":"tenantId","groupId":"voice_agent_v2"},"constraints":[{"contextName":"tenantId","operator":"IN","values":["acme"],"inverted":false,"caseInsensitive":false}]}],"variants":[]}]}
JSON
  cat > "$2" <<JSON
{"body":"{\"items\":[{\"provider\":\"vapi\",\"kind\":\"phone_number_id\",\"value\":\"pn_1\",\"tenantId\":\"acme\"}]}","etag":null}
JSON
}
