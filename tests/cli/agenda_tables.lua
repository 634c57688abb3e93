-- agenda_tables.lua — prints every shipped authority's agenda table, then the
-- base's defaults and common sections, as test_agenda_tables.sh compares them.
--
-- Every field is printed, recursively, keys sorted, with each table's
-- metatable. A table or function met before is printed as "= PATH" of where
-- it was first met, so which tables an agenda shares (with the base or with
-- another agenda) and which it owns is part of the output. A place
-- ("where") is printed without its directory.
local authorities = { "cumbria", "north_yorkshire", "sefton", "surrey", "worcestershire" }
local seen = {}

local function key_order(a, b)
  local ta, tb = type(a), type(b)
  if ta ~= tb then return ta < tb end
  if ta == "number" or ta == "string" then return a < b end
  return tostring(a) < tostring(b)
end

local function scalar(value)
  if type(value) == "string" then
    return string.format("%q", (value:gsub("^/.*/([^/]+%.lua:%d+)$", "%1")))
  end
  return tostring(value)
end

local dump
local function dump_value(value, path, indent)
  local t = type(value)
  if t ~= "table" and t ~= "function" then return scalar(value) end
  if seen[value] then return "= " .. seen[value] end
  seen[value] = path
  if t == "function" then return "function" end
  return dump(value, path, indent)
end

function dump(tbl, path, indent)
  local keys = {}
  for k in pairs(tbl) do keys[#keys + 1] = k end
  table.sort(keys, key_order)
  local lines = { "{" }
  for _, k in ipairs(keys) do
    local sub = path .. "[" .. scalar(k) .. "]"
    lines[#lines + 1] = indent .. "  [" .. scalar(k) .. "] " .. dump_value(tbl[k], sub, indent .. "  ")
  end
  local meta = getmetatable(tbl)
  if meta ~= nil then
    lines[#lines + 1] = indent .. "  <metatable> " .. dump_value(meta, path .. "<metatable>", indent .. "  ")
  end
  lines[#lines + 1] = indent .. "}"
  return table.concat(lines, "\n")
end

for _, id in ipairs(authorities) do
  print(id .. " " .. dump_value(require(id), id, ""))
end
local sos = require "signs_of_safety"
print("sos.defaults " .. dump_value(sos.defaults, "sos.defaults", ""))
print("sos.sections " .. dump_value(sos.sections, "sos.sections", ""))
print("sos.checks " .. dump_value(sos.checks, "sos.checks", ""))
