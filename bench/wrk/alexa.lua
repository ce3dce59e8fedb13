-- wrk script: POST pre-signed Alexa requests, cycling through a data file.
--
--   wrk -t1 -c8 -d10s -s bench/wrk/alexa.lua http://127.0.0.1:PORT/alexa -- DATA.txt
--
-- DATA.txt: the SignatureCertChainUrl on the first line, then one request per line, its
-- Signature-256 value, a tab and the body (compact JSON never holds a raw tab or newline).
-- With WRK_LIMIT=N in the environment the (single) thread stops after N responses and prints
-- "WRK_LIMIT_REACHED"; bench/run then sends SIGINT, since wrk's main thread otherwise sleeps
-- for the whole -d duration. A point that must not send any body twice (new households) sets
-- WRK_LIMIT to the number of bodies less the connections, so no request goes out twice.
-- done() prints one line "WRK_JSON {...}" (latencies in microseconds; "sent" counts the bodies
-- handed to wrk, "wrapped" how often the script went back to the first body).

local prepared = {}
local position = 0
local limit = tonumber(os.getenv("WRK_LIMIT") or "0")
local answered = 0
local threads = {}
sent = 0
wrapped = 0

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  local file = assert(io.open(args[1], "r"))
  local url = file:read("*l")
  for line in file:lines() do
    local tab = line:find("\t", 1, true)
    prepared[#prepared + 1] = wrk.format("POST", nil, {
      ["Content-Type"] = "application/json",
      ["SignatureCertChainUrl"] = url,
      ["Signature-256"] = line:sub(1, tab - 1),
    }, line:sub(tab + 1))
  end
  file:close()
end

function request()
  position = position + 1
  if position > #prepared then
    position = 1
    wrapped = wrapped + 1
  end
  sent = sent + 1
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
  local sent_total, wrapped_total = 0, 0
  for _, thread in ipairs(threads) do
    sent_total = sent_total + (thread:get("sent") or 0)
    wrapped_total = wrapped_total + (thread:get("wrapped") or 0)
  end
  io.write(string.format(
    'WRK_JSON {"requests": %d, "duration_us": %d, "bytes": %d, "errors": {"connect": %d, '
      .. '"read": %d, "write": %d, "status": %d, "timeout": %d}, "p50_us": %d, "p90_us": %d, '
      .. '"p99_us": %d, "max_us": %d, "mean_us": %.1f, "sent": %d, "wrapped": %d}\n',
    summary.requests, summary.duration, summary.bytes, e.connect, e.read, e.write, e.status,
    e.timeout, latency:percentile(50), latency:percentile(90), latency:percentile(99),
    latency.max, latency.mean, sent_total, wrapped_total))
end
