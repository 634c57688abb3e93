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
