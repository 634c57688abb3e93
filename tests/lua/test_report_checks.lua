-- test_report_checks.lua — each agency report check in scripts/checks/report_*.lua
-- on a good and a bad report: the good one gives no finding, the bad one
-- exactly the findings expected, each naming the heading and quoting the words.
-- Reports are built as `confer report add` gives them to the checks:
-- { agency =, received =, sections = { { id =, title =, texts = {...} } } }.
local agenda = require "sefton"

local function eq(a, b, what)
  if a ~= b then error(what .. ": expected " .. tostring(b) .. ", got " .. tostring(a), 2) end
end

-- Runs check NAME on REPORT and compares its findings, one a line, with WANT.
local function findings(name, report, want, what)
  local got = require("checks." .. name).run(report, agenda)
  eq(table.concat(got, "\n"), table.concat(want, "\n"), name .. ": " .. what)
end

local titles = {
  worried = "What are we worried about?", working_well = "What's going well?",
  lived_experience = "The child's lived experience", needs_to_happen = "What needs to happen?",
  background = "Background",
}

-- A report from pairs { heading id, {texts} }, in that order.
local function report(...)
  local sections = {}
  for _, pair in ipairs({ ... }) do
    sections[#sections + 1] = { id = pair[1], title = titles[pair[1]], texts = pair[2] }
  end
  return { agency = "school", received = "2026-01-05", sections = sections }
end

-- report_jargon: each glossary term, whole words in any case, with its plain words.
findings("report_jargon", report(
  { "worried", { "Ms Example told us the flat was cold (observation, school)." } },
  { "background", { "Robin has lived with Nan since the blackout in 2024." } }),
  {}, "good (\"LAC\" is not in \"blackout\")")
findings("report_jargon", report(
  { "background", { "Robin was LAC in 2023 and contact with Dad was stopped." } }),
  { "Background: \"Robin was LAC in 2023 and contact with Dad was stopped.\" uses the jargon \"LAC\"; " ..
      "in plain words: a child the council looks after, living away from their parents",
    "Background: \"Robin was LAC in 2023 and contact with Dad was stopped.\" uses the jargon \"contact\"; " ..
      "in plain words: time the child spends with a parent or relative they do not live with" },
  "bad")

-- report_evidence: worries and strengths say their kind or their source.
findings("report_evidence", report(
  { "worried", { "The class teacher saw a bruise on Robin's arm on Monday." } },
  { "working_well", { "Attendance register shows Robin at school every day this term." } }),
  {}, "good")
findings("report_evidence", report(
  { "worried", { "Robin is hungry.", "The teacher saw Robin crying." } },
  { "working_well", { "Things are better at home." } }),
  { "What are we worried about?: \"Robin is hungry.\" does not say whether it is fact, observation, " ..
      "allegation or opinion, nor who says so",
    "What's going well?: \"Things are better at home.\" does not say whether it is fact, observation, " ..
      "allegation or opinion, nor who says so" },
  "bad")

-- report_self_report: a strength resting on what a parent says.
findings("report_self_report", report(
  { "working_well", { "The school nurse saw a full lunchbox every day in March." } },
  { "worried", { "Mother says she drinks every night (allegation, neighbour)." } }),
  {}, "good (a parent's words under worries are not relied on as safety)")
findings("report_self_report", report(
  { "working_well", { "Mother says she has stopped drinking.", "Dad has assured us the house is tidy.",
                      "The parents reported that Robin sleeps well." } }),
  { "What's going well?: \"Mother says she has stopped drinking.\" rests on a parent's own account: " ..
      "what has been seen that shows it?",
    "What's going well?: \"Dad has assured us the house is tidy.\" rests on a parent's own account: " ..
      "what has been seen that shows it?",
    "What's going well?: \"The parents reported that Robin sleeps well.\" rests on a parent's own account: " ..
      "what has been seen that shows it?" },
  "bad")

-- report_narrative: a chronology (three dated paragraphs) or too many words under a summary heading.
findings("report_narrative", report(
  { "worried", { "Robin was hungry at school on 3 March and on 10 March (observation, teacher)." } },
  { "background", { "On 1 May 2020 ...", "On 2 June 2021 ...", "On 3 July 2022 ...", "On 4 August 2023 ..." } }),
  {}, "good (one dated paragraph; Background is not a summary heading)")
local long = {}
for i = 1, 26 do long[i] = "word" end
local ten_words = table.concat(long, " ", 1, 10)
local paragraphs = {}
for i = 1, 26 do paragraphs[i] = ten_words end
findings("report_narrative", report(
  { "worried", { "On 3 March Robin came to school hungry.", "Robin was late on 2024-03-10.",
                 "The school was told about it (fact, teacher).", "On 12/03/24 Robin had a bruise." } },
  { "working_well", paragraphs }),
  { "What are we worried about?: \"On 3 March Robin came to school hungry.\" begins a narrative of events " ..
      "(3 dated paragraphs) where a summary is asked",
    "What's going well?: \"" .. ten_words .. "\" begins 260 words where a summary is asked (at most 250)" },
  "bad")

-- report_lived_experience: the child's voice under its heading (or, without one, anywhere),
-- not a placeholder and not a parent's words.
findings("report_lived_experience", report(
  { "lived_experience", { "Robin told his teacher he is scared when Dad shouts (fact, Robin)." } }),
  {}, "good")
findings("report_lived_experience", report(
  { "worried", { "Robin said he is hungry at school (fact, teacher)." } }),
  {}, "good without the heading: the voice is elsewhere")
findings("report_lived_experience", report(
  { "lived_experience", { "N/A", "Mother says Robin is happy." } }),
  { "The child's lived experience: \"N/A\" does not say what the child says, shows or feels" },
  "bad: a placeholder and a parent's words")
findings("report_lived_experience", report(
  { "worried", { "The flat is cold (observation, teacher)." } }),
  { "The report says nothing of the child's lived experience: what the child says, shows or feels." },
  "bad without the heading")

-- report_links: each item under what needs to happen shares a significant word with a worry or names one.
findings("report_links", report(
  { "worried", { "Robin comes to school hungry (observation, teacher)." } },
  { "needs_to_happen", { "Robin has breakfast before school so he is not hungry.", "Review W2 at core group." } }),
  {}, "good")
findings("report_links", report(
  { "worried", { "Robin comes to school hungry (observation, teacher)." } },
  { "needs_to_happen", { "Mum goes to a parenting course.", "The family continue to get support." } }),
  { "What needs to happen?: \"Mum goes to a parenting course.\" is not linked to anything under what we are worried about",
    "What needs to happen?: \"The family continue to get support.\" is not linked to anything under what we are " ..
      "worried about" },
  "bad (common words such as family and support link nothing)")

-- Quotes are cut to about 80 bytes on a word boundary.
findings("report_evidence", report(
  { "worried", { "Robin has been coming to school in the same clothes every day and he looks tired " ..
                 "in the mornings" } }),
  { "What are we worried about?: \"Robin has been coming to school in the same clothes every day and he looks…\" " ..
      "does not say whether it is fact, observation, allegation or opinion, nor who says so" },
  "a long text is quoted in part")

-- report_checks runs them all, in order.
eq(#require("checks.report_checks").checks, 6, "six report checks")
