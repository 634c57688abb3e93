-- test_check_timescales.lua — checks/timescales.lua: the review and core group
-- dates a chair sets are held to the authority's timescales (a date left to the
-- timescales is within them), only for a child protection plan; the record uses
-- the dates set; dates.set refuses a date not after the conference.
local check = require "checks.timescales"
local view = require "render.view"
local function eq(a, b, what)
  if a ~= b then error(what .. ": expected " .. tostring(b) .. ", got " .. tostring(a), 2) end
end
local function messages(conf, agenda)
  local out = {}
  for _, f in ipairs(check.run(conf, agenda)) do out[#out + 1] = f.message end
  return table.concat(out, "\n")
end

-- Worcestershire, an initial conference on Tuesday 3 March 2026: review by 3 June,
-- core group within 10 working days (by 17 March).
local worcs = require "worcestershire"
local c = confer.conference{authority = "worcestershire", type = "initial", date = "2026-03-03"}
c:record("person.added", {name = "Ann Sample", role = "social worker", agency = "children's services"})
c:record("dates.set", {review = "2026-07-01"})
eq(messages(c, worcs), "", "no plan yet: nothing to hold the dates to")
c:record("decision.made", {plan = "cp", categories = {"neglect"}})
eq(messages(c, worcs),
   "the review conference is set for Wednesday 1 July 2026, later than the timescale allows (Wednesday 3 June 2026)",
   "a review set after the first review's timescale")
eq(select(1, view.plan_dates(worcs, c)), "2026-07-01", "the record shows the date set")
c:record("dates.set", {review = "2026-06-03", core_group = "2026-03-18"})
eq(messages(c, worcs),
   "the first core group is set for Wednesday 18 March 2026, later than the timescale allows (Tuesday 17 March 2026)",
   "the review on its last day is within; a core group a day late is not")
c:record("dates.set", {core_group = "2026-03-17"})
eq(messages(c, worcs), "", "both within")
eq(c.review_date, "2026-06-03", "a dates.set without review keeps it")

-- Timescales come from the authority: a review conference's next review within 6 months.
local c2 = confer.conference{authority = "worcestershire", type = "review", date = "2026-03-03"}
c2:record("decision.made", {plan = "cp", categories = {"neglect"}})
c2:record("dates.set", {review = "2026-09-03"})
eq(messages(c2, worcs), "", "six months after a review is within")
local r, cg = view.plan_dates(worcs, c2)
eq(r .. " " .. cg, "2026-09-03 2026-03-17", "the core group date left to the timescale")

-- Refused: nothing given, or a date not after the conference.
local ok, err = pcall(c2.record, c2, "dates.set", {})
eq(ok, false, "an empty dates.set is refused")
assert(tostring(err):find('"review" or "core_group" must be given', 1, true), tostring(err))
ok, err = pcall(c2.record, c2, "dates.set", {core_group = "2026-03-03"})
eq(ok, false, "a core group on the conference's own day is refused")
assert(tostring(err):find('"core_group" 2026-03-03 is not after the conference (2026-03-03)', 1, true), tostring(err))
print("test_check_timescales: all passed")
