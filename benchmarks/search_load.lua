-- wrk script for benchmarks/search.py --load: a Zipf mix of the search requests in
-- search_queries.txt (line n of the list is asked with probability proportional to 1/n).
-- Usage: wrk -s benchmarks/search_load.lua http://host:port -- benchmarks/search_queries.txt

local paths = {}
local cumulative = {}

function init(args)
  local total = 0
  for line in io.lines(args[1]) do
    if line ~= "" and line:sub(1, 1) ~= "#" then
      paths[#paths + 1] = line
      total = total + 1 / #paths
      cumulative[#paths] = total
    end
  end
  for i = 1, #cumulative do
    cumulative[i] = cumulative[i] / total
  end
  math.randomseed(os.time() + (tonumber(tostring({}):match("0x(%x+)"), 16) or 0))
end

function request()
  local r = math.random()
  local low, high = 1, #cumulative
  while low < high do
    local middle = math.floor((low + high) / 2)
    if cumulative[middle] < r then low = middle + 1 else high = middle end
  end
  return wrk.format("GET", paths[low])
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    "RESULT requests=%d seconds=%.3f p50_ms=%.2f p99_ms=%.2f errors=%d status_errors=%d\n",
    summary.requests, summary.duration / 1e6, latency:percentile(50) / 1000,
    latency:percentile(99) / 1000, e.connect + e.read + e.write + e.timeout, e.status))
end
