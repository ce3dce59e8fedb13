-- wrk script: POST pre-signed Alexa requests to /alexa, cycling through a data file.
--
--   wrk -t1 -c8 -d10s --latency -s bench/wrk/alexa.lua http://127.0.0.1:PORT/alexa -- DATA.lua
--
-- DATA.lua returns { url = <SignatureCertChainUrl>, requests = { {body, signature}, ... } }.
-- With WRK_LIMIT=N in the environment the (single) thread stops after N responses and prints
-- "WRK_LIMIT_REACHED"; bench/run then sends SIGINT, since wrk's main thread otherwise sleeps
-- for the whole -d duration.
-- done() prints one line "WRK_JSON {...}" (latencies in microseconds) for bench/run to parse.

local prepared = {}
local position = 0
local limit = tonumber(os.getenv("WRK_LIMIT") or "0")
local answered = 0

function init(args)
  local data = dofile(args[1])
  for i, item in ipairs(data.requests) do
    prepared[i] = wrk.format("POST", nil, {
      ["Content-Type"] = "application/json",
      ["SignatureCertChainUrl"] = data.url,
      ["Signature-256"] = item[2],
    }, item[1])
  end
end

function request()
  position = position % #prepared + 1
  return prepared[position]
end

if limit > 0 then
  function response(status, headers, body)
    answered = answered + 1
    if answered == limit then
      io.write("WRK_LIMIT_REACHED\n")
      io.flush()
      wrk.thread:stop()
    end
  end
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'WRK_JSON {"requests": %d, "duration_us": %d, "bytes": %d, "errors": {"connect": %d, '
      .. '"read": %d, "write": %d, "status": %d, "timeout": %d}, "p50_us": %d, "p90_us": %d, '
      .. '"p99_us": %d, "max_us": %d, "mean_us": %.1f}\n',
    summary.requests, summary.duration, summary.bytes, e.connect, e.read, e.write, e.status,
    e.timeout, latency:percentile(50), latency:percentile(90), latency:percentile(99),
    latency.max, latency.mean))
end
