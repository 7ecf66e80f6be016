-- wrk script for tests/perf/load.py: logged-in users, one connection per thread.
--
-- Arguments after "--": the scenario file, the status every response must have and
-- the number of threads (setup() has not seen them all when a thread's init() runs).
-- Each line of the file is "path<TAB>cookie<TAB>csrf<TAB>body": a GET when body is
-- empty, else an autosave POST whose body holds "{version}". Each thread takes every
-- n-th line; with one connection per thread a response always answers the thread's
-- last request, so the thread can keep each entry's version from the JSON answer and
-- the next autosave of that entry never conflicts. The first autosave of an entry in a run
-- guesses version 1 (the script resets them) and may meet a later one, saved by a request
-- of the previous run that was still in flight when it ended; the thread then takes the
-- server's version from the 409 answer and does not count it as an error.

local threads = {}
local counter = 0

function setup(thread)
   thread:set("id", counter)
   counter = counter + 1
   table.insert(threads, thread)
end

function init(args)
   local id, n = tonumber(wrk.thread:get("id")), tonumber(args[3])
   expected = tonumber(args[2])
   lines, versions, synced, current, unexpected, edits = {}, {}, {}, 0, 0, 0
   statuses = ""  -- the unexpected statuses, space-separated (wrk passes strings between threads)
   local index = 0
   for line in io.lines(args[1]) do
      if index % n == id then
         local path, cookie, csrf, body = line:match("^([^\t]*)\t([^\t]*)\t([^\t]*)\t?(.*)$")
         table.insert(lines, {path = path, cookie = cookie, csrf = csrf, body = body})
         table.insert(versions, 1)
         table.insert(synced, false)
      end
      index = index + 1
   end
   if #lines == 0 then
      error("no scenario lines for thread " .. id)
   end
end

function request()
   current = current % #lines + 1
   local line = lines[current]
   local headers = {
      ["Cookie"] = line.cookie,
      ["X-Forwarded-Proto"] = "https",
   }
   if line.body == "" then
      return wrk.format("GET", line.path, headers)
   end
   edits = edits + 1
   headers["Accept"] = "application/json"
   headers["Content-Type"] = "application/x-www-form-urlencoded"
   headers["X-CSRFToken"] = line.csrf
   headers["Origin"] = "https://" .. wrk.headers["Host"]
   local body = line.body:gsub("{version}", tostring(versions[current]))
   body = body:gsub("{edit}", tostring(edits))
   return wrk.format("POST", line.path, headers, body)
end

function response(status, headers, body)
   local first = not synced[current]
   synced[current] = true
   if status == 409 and first then
      versions[current] = tonumber(body:match('"version": ?(%d+)'))
      return
   end
   if status ~= expected then
      unexpected = unexpected + 1
      statuses = statuses .. " " .. status
      return
   end
   local version = body:match('"version": ?(%d+)')
   if version then
      versions[current] = tonumber(version)
   end
end

function done(summary, latency, requests)
   local wrong, counts = 0, {}
   for _, thread in ipairs(threads) do
      wrong = wrong + thread:get("unexpected")
      for status in string.gmatch(thread:get("statuses"), "%d+") do
         counts[status] = (counts[status] or 0) + 1
      end
   end
   local e = summary.errors
   local kinds = {}
   for status, count in pairs(counts) do
      table.insert(kinds, string.format('"status %s": %d', status, count))
   end
   for _, kind in ipairs({"connect", "read", "write", "timeout"}) do
      if e[kind] > 0 then
         table.insert(kinds, string.format('"%s": %d', kind, e[kind]))
      end
   end
   io.write(string.format(
      '{"requests": %d, "seconds": %.3f, "p50_ms": %.2f, "p99_ms": %.2f, "max_ms": %.2f, ' ..
      '"errors": %d, "error_kinds": {%s}}\n',
      summary.requests, summary.duration / 1e6, latency:percentile(50) / 1e3,
      latency:percentile(99) / 1e3, latency.max / 1e3,
      wrong + e.connect + e.read + e.write + e.timeout, table.concat(kinds, ", ")
   ))
end
