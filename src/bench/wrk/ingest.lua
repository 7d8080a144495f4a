-- wrk script of the Switchboard benchmark (src/bench/run.sh starts it; see README "Performance").
-- Each request is a ~110-byte JSON body for one device: {"device_id":"c000123","t":<epoch µs>,...}.
--   BENCH_ONLINE_KEYS       devices c000000.. registered by connected Homeys
--   BENCH_OFFLINE_KEYS      devices o0000000.. registered by Homeys that never connect
--   BENCH_OFFLINE_FRACTION  share of requests for the latter
--   BENCH_BODY_PADDING      characters of padding added to each body as "pad" (0: none)
--   BENCH_DELAY_MS          pause of each connection between requests (paced load); 0 = none
--   BENCH_OUT               prefix of the files written: <prefix>-ids-<thread>.txt (deliveryId of every 200)
--                           and <prefix>-summary.txt (counts and latency percentiles, in µs)
-- "t" is the send time on the same clock the Homey fleet reads, for sender-to-Homey latency.

local ffi = require("ffi")
ffi.cdef [[
typedef struct { long tv_sec; long tv_nsec; } bench_timespec;
int clock_gettime(int clk_id, bench_timespec *tp);
]]
local clock = ffi.new("bench_timespec")
local CLOCK_REALTIME = 0

local function now_us()
    ffi.C.clock_gettime(CLOCK_REALTIME, clock)
    return tonumber(clock.tv_sec) * 1000000 + math.floor(tonumber(clock.tv_nsec) / 1000)
end

local online_keys = tonumber(os.getenv("BENCH_ONLINE_KEYS") or "1")
local offline_keys = tonumber(os.getenv("BENCH_OFFLINE_KEYS") or "0")
local offline_fraction = tonumber(os.getenv("BENCH_OFFLINE_FRACTION") or "0")
local out = os.getenv("BENCH_OUT") or "wrk"
local delay_ms = tonumber(os.getenv("BENCH_DELAY_MS") or "0")
local padding = tonumber(os.getenv("BENCH_BODY_PADDING") or "0")
local pad = padding > 0 and (',"pad":"' .. string.rep("x", padding) .. '"') or ""
local headers = { ["Content-Type"] = "application/json" }

local threads = {}

function setup(thread)
    thread:set("tid", #threads)
    table.insert(threads, thread)
end

local ids
local seq = 0

function init(args)
    math.randomseed(now_us() + (tid or 0) * 7919)
    ids = assert(io.open(out .. "-ids-" .. (tid or 0) .. ".txt", "w"))
    ids:setvbuf("full", 65536)
end

if delay_ms > 0 then
    function delay()
        return delay_ms
    end
end

function request()
    local key
    if offline_keys > 0 and math.random() < offline_fraction then
        key = string.format("o%07d", math.random(0, offline_keys - 1))
    else
        key = string.format("c%06d", math.random(0, online_keys - 1))
    end
    seq = seq + 1
    local body = string.format(
        '{"device_id":"%s","t":%.0f,"event":"switched_on","value":true,"battery":87,"seq":%d%s}',
        key, now_us(), seq, pad)
    return wrk.format("POST", nil, headers, body)
end

function response(status, headers, body)
    if status == 200 then
        local id = body:match('"deliveryId":"(%x+)"')
        if id then
            ids:write(id, "\n")
        end
    end
end

function done(summary, latency, requests)
    local f = assert(io.open(out .. "-summary.txt", "w"))
    local e = summary.errors
    f:write(string.format("duration_us %d\nrequests %d\nbytes %d\n", summary.duration, summary.requests, summary.bytes))
    f:write(string.format("errors_connect %d\nerrors_read %d\nerrors_write %d\nerrors_status %d\nerrors_timeout %d\n",
        e.connect, e.read, e.write, e.status, e.timeout))
    f:write(string.format("latency_mean_us %.1f\nlatency_max_us %d\n", latency.mean, latency.max))
    for _, p in ipairs({ 50, 90, 99, 99.9 }) do
        f:write(string.format("latency_p%s_us %d\n", tostring(p), latency:percentile(p)))
    end
    f:close()
end
