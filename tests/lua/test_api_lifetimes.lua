-- test_api_lifetimes.lua — what a hostile script can do to the host's C
-- frames through the collector: strings only a C function's locals point
-- at, and conferences finalized while a method reads them. In the sanitizer
-- build a use after free here is AddressSanitizer's report and a failure.
local function eq(a, b, what)
  if a ~= b then error(what .. ": expected " .. tostring(b) .. ", got " .. tostring(a), 2) end
end

-- confer.conference{...} reads its fields through a table's __index, which
-- may make each string afresh and churn the collector before the next one:
-- the strings must live until the conference has been made from them. (No
-- literal here equals them: an interned copy would keep them alive.)
do
  local made = 0
  local fields = setmetatable({}, {__index = function(_, key)
    local junk = {}
    for i = 1, 20000 do junk[i] = {i} end
    made = made + 1
    if key == "date" then return string.format("%d-%02d-%02d", 2026, 1, made) end
    if key == "type" then return "re" .. string.rep("view", made - 1) end
    if key == "chair" then return nil end
    return string.format("example_%s_%d", key, made)
  end})
  local c = confer.conference(fields)
  eq(c.authority, string.format("example_%s_%d", "authority", 1), "authority made by __index")
  eq(c.type, "re" .. "view", "type made by __index")
  eq(c.date, string.format("%d-%02d-%02d", 2026, 1, 3), "date made by __index")
  eq(c.id, string.format("example_%s_%d", "id", 4), "id made by __index")
end

-- A conference only a weak-keyed table holds is collected. Lua keeps an
-- object it is about to finalize reachable through weak keys until its next
-- cycle, so a script could take it back between the collector's atomic step
-- (which empties a weak-valued probe) and the finalizers, and read it while
-- a method's allocations ran the finalizer that freed its model. The model
-- must outlive every box a script can reach.
do
  local live = {}
  for i = 1, 100000 do live[i] = {} end   -- a heap the collector is long sweeping
  local keep = setmetatable({}, {__mode = "k"})
  local function make()
    local c = confer.conference{}
    for i = 1, 300 do
      c:record("entry.mapped", {column = "worried", category = "harm", text = "Example worry " .. i})
    end
    keep[c] = true
  end
  make()
  local probe = setmetatable({}, {__mode = "v"})
  probe[1] = {}
  while probe[1] ~= nil do local _ = {} end   -- until the collector's atomic step
  local c = next(keep)
  if c ~= nil then   -- taken back: it must still be whole
    eq(#c:items(), 300, "items of a conference taken back from a weak table")
    eq(c:count("worried"), 300, "count of a conference taken back from a weak table")
  end
  eq(c, nil, "a dead conference leaves a weak-keyed table at the atomic step")
  live = nil
end

-- conf:to_json() with the memory cap all but reached: the text the host
-- made for it must be freed when it cannot be given to the script (the
-- sanitizer build's leak check sees it), and the error is the cap's.
do
  local c = confer.conference{}
  for i = 1, 200 do
    c:record("entry.mapped", {column = "worried", category = "harm",
      text = ("Example worry %d "):format(i) .. ("x"):rep(500)})
  end
  local hog, kilobyte = {}, ("y"):rep(1000)
  local ok, msg = pcall(function() while true do hog[#hog + 1] = kilobyte .. #hog end end)
  eq(ok, false, "filling the memory cap")
  ok, msg = pcall(c.to_json, c)
  hog = nil   -- room again for the checks' own strings
  eq(ok, false, "to_json at the cap")
  eq(msg:match("not enough memory %(plugin memory cap of %d+ MiB reached%)$") ~= nil, true,
     "to_json at the cap fails for memory: " .. msg)
end
