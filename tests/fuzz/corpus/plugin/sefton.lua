-- sefton.lua — Sefton's child protection conference agenda.
--
-- Source: "Signs of Safety Agency Report to a Child Protection Conference"
-- (seeds/000_76436500aa786674.txt): the report's seven headings, what each
-- must contain, and the SMART rules for the child's plan. The document names
-- no mapping categories, so the base's apply.

local sos = require "signs_of_safety"

-- A heading of the agency report: its title and the guidance bullets under it.
local function heading(id, guidance)
  local keys = {}
  for i = 1, guidance do keys[i] = ("sefton.report.%s.%d"):format(id, i) end
  return { id = id, title = "sefton.report." .. id, guidance = keys }
end

-- The report is the same for initial and review conferences.
local function report_form()
  return {
    title = "sefton.report.title",
    heading("background", 5),
    heading("why_it_matters", 3),
    heading("worried", 4),
    heading("going_well", 6),
    heading("lived_experience", 5),
    heading("needs_to_happen", 4),
    heading("working_with_families", 3),
  }
end

-- "don't confuse actions and children's outcomes": an outcome that only
-- repeats the action is no outcome for the child.
local function outcomes_not_actions(conf)
  local problems = {}
  for _, action in ipairs(conf:items("action")) do
    if not action.withdrawn and action.outcome ~= nil and action.outcome == action.text then
      problems[#problems + 1] = confer.text("sefton.check.outcome_is_action.problem", action.id)
    end
  end
  return problems
end

local agenda = sos.agenda {
  id = "sefton",
  name = "Sefton",
  source = "Sefton Signs of Safety agency report to a child protection conference (seeds/000)",

  -- "The child's Plan needs to be SMART. Identified actions need to link clearly
  -- to what we are worried about. Each action must have a clear child's outcome,
  -- The person responsible for each action in the Plan, and the agreed
  -- timescales, must be made clear".
  plan_rules = { smart = true, each_action = { "worry", "outcome", "owner", "due" } },

  report_forms = { initial = report_form(), review = report_form() },

  sections = {
    sos.sections.introductions,
    sos.sections.family_network,
    -- "What are we worried about?" and "What's going well?" headings.
    sos.sections.mapping:with {
      prompts = { "sefton.mapping.prompt.summary", "sefton.mapping.prompt.self_report",
                  "sos.mapping.prompt.plain" },
    },
    -- "Childs lived experience".
    sos.sections.involvement:with {
      title = "sefton.lived_experience.title",
      questions = { "sefton.report.lived_experience.1", "sefton.report.lived_experience.2",
                    "sefton.report.lived_experience.3" },
    },
    sos.sections.danger_goals,
    sos.sections.scaling,
    sos.sections.decision,
    sos.sections.what_needs_to_happen,
    sos.sections.actions:with {
      prompts = { "sefton.actions.prompt.smart", "sefton.actions.prompt.not_outcomes" },
      requires = { { what = "actions", min = 1, reason = "sefton.actions.requires" } },
      check = outcomes_not_actions,
    },
    sos.sections.core_group,
    sos.sections.close,
  },
}
return agenda
