-- test_calendar.lua — confer.calendar from a script: dates in, dates out, exact errors.
local cal = confer.calendar

local function eq(a, b, what)
  if a ~= b then error(what .. ": expected " .. tostring(b) .. ", got " .. tostring(a), 2) end
end

-- F must fail with exactly MESSAGE, placed at the script line that made the call.
local function fails(f, message, what)
  local ok, msg = pcall(f)
  if ok then error(what .. ": expected an error", 2) end
  local where, rest = tostring(msg):match("^(.-test_calendar%.lua:%d+): (.*)$")
  if where == nil or rest ~= message then
    error(what .. ": error '" .. tostring(msg) .. "', expected '" .. message .. "'", 2)
  end
end

eq(type(cal), "table", "confer.calendar is a table")

eq(cal.is_working_day("2026-04-07"), true, "Tuesday after Easter works")
eq(cal.is_working_day("2026-04-06"), false, "Easter Monday")
eq(cal.is_working_day("2026-04-04"), false, "Saturday")
eq(cal.is_bank_holiday("2026-12-28"), true, "substitute Boxing Day 2026")
eq(cal.is_bank_holiday("2026-12-26"), false, "Saturday Boxing Day itself")
eq(cal.is_bank_holiday("2022-09-19"), true, "state funeral")
eq(cal.is_bank_holiday("2026-04-04"), false, "a Saturday is not a bank holiday")

eq(cal.add_working_days("2026-04-07", -3), "2026-03-31", "back over Easter")
eq(cal.add_working_days("2026-12-21", 10), "2027-01-07", "over Christmas and New Year")
eq(cal.add_working_days("2026-03-07", 0), "2026-03-07", "zero")
eq(cal.add_months("2026-11-30", 3), "2027-02-28", "clamped to February")
eq(cal.add_months("2024-01-31", 1), "2024-02-29", "leap February")
eq(cal.add_months("2026-05-15", -5), "2025-12-15", "back over a year end")

eq(cal.deadline("2026-04-07", "3 working days before"), "2026-03-31", "working days before")
eq(cal.deadline("2026-08-20", "15 working days after"), "2026-09-11", "August bank holiday")
eq(cal.deadline("2026-03-03", "24 hours before"), "2026-03-02", "24 hours")
eq(cal.deadline("2026-03-03", "2 Weeks  Before"), "2026-02-17", "weeks, any case and spacing")
eq(cal.deadline("2026-11-30", "3 months after"), "2027-02-28", "months")

local holidays = cal.bank_holidays(2026)
local expected = {"2026-01-01", "2026-04-03", "2026-04-06", "2026-05-04",
                  "2026-05-25", "2026-08-31", "2026-12-25", "2026-12-28"}
eq(#holidays, #expected, "2026 has eight bank holidays")
for i, d in ipairs(expected) do eq(holidays[i], d, "2026 holiday " .. i) end
eq(#cal.bank_holidays(2022), 10, "2022 has ten bank holidays")
holidays[1] = "changed"
eq(cal.bank_holidays(2026)[1], "2026-01-01", "each call returns a fresh list")

eq(cal.weekday("2026-04-06"), 1, "Monday is 1")
eq(cal.weekday("2026-04-05"), 7, "Sunday is 7")
eq(cal.weekday("1970-01-01"), 4, "Thursday is 4")

-- Errors. Calls sit in a local assignment, not a tail call, so Lua knows the function's name.
fails(function() local d = cal.add_working_days("2026-13-01", 1); return d end,
  'bad argument #1 to \'add_working_days\' (date YYYY-MM-DD expected, got "2026-13-01")',
  "impossible month")
fails(function() local d = cal.is_working_day("2026-2-3"); return d end,
  'bad argument #1 to \'is_working_day\' (date YYYY-MM-DD expected, got "2026-2-3")',
  "unpadded date")
fails(function() local d = cal.weekday(20260101); return d end,
  "bad argument #1 to 'weekday' (date YYYY-MM-DD expected, got number)", "number for a date")
fails(function() local d = cal.is_bank_holiday(); return d end,
  "bad argument #1 to 'is_bank_holiday' (date YYYY-MM-DD expected, got no value)", "missing date")
fails(function() local d = cal.add_months("2026-01-31", 1.5); return d end,
  "bad argument #2 to 'add_months' (number has no integer representation)", "fractional months")
fails(function() local d = cal.add_months("2026-01-31", 10000); return d end,
  "bad argument #2 to 'add_months' (whole number from -9999 to 9999 expected)", "too many months")
fails(function() local d = cal.bank_holidays(1899); return d end,
  "bad argument #1 to 'bank_holidays' (year from 1900 to 2200 expected)", "year out of range")
fails(function() local d = cal.deadline("2026-03-03", "3 fortnights before"); return d end,
  'deadline "3 fortnights before": expected "N working days|days|weeks|months|hours before|after"',
  "unknown unit")
fails(function() local d = cal.deadline("2026-03-03", "36 hours before"); return d end,
  'deadline "36 hours before": hours must be a multiple of 24', "hours not whole days")
-- A long phrase is echoed whole, and the reason after it is not cut off.
local long_phrase = "3 fortnights" .. string.rep(" ", 300) .. "before"
fails(function() local d = cal.deadline("2026-03-03", long_phrase); return d end,
  'deadline "' .. long_phrase .. '": expected "N working days|days|weeks|months|hours before|after"',
  "long phrase")
fails(function() local d = cal.deadline("2026-03-03"); return d end,
  "bad argument #2 to 'deadline' (string expected, got no value)", "missing phrase")

print("test_calendar.lua: all passed")
