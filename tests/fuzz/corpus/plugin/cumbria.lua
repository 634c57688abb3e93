-- cumbria.lua — Cumbria's child protection conference agenda.
--
-- Source: "Child Protection Conferences: Guidance for Professionals" with the
-- child protection agenda and the IRO's questions (seeds/002_8fbc00cefaa35112.txt).
-- Each rule names the guidance's heading or passage; the rest is the base.

local sos = require "signs_of_safety"

-- "WHAT NEEDS TO HAPPEN?": the IRO's pressure testing of the plan, items 1.1 to 1.7.
local function plan_item(id, records, questions)
  return sos.section { id = id, title = "cumbria." .. id .. ".title", questions = questions,
                       records = records }
end

local agenda = sos.agenda {
  id = "cumbria",
  name = "Cumbria",
  source = "Cumbria child protection conference guidance and agenda (seeds/002)",

  -- "The IRO will focus on the Analysis categories with the SofS mapping analysis
  -- categories: What are we worried about? Harm, Complicating Factors. What is
  -- working well? Existing Strengths, Existing Safety".
  columns = {
    worried = { "harm", "complicating_factors" },
    working_well = { "existing_strengths", "existing_safety" },
  },
  categories = { harm = "cumbria.category.harm" },

  -- "You will be asked what your current scaling score are ... IRO Overall
  -- Progress and Safety Scale: The IRO will then review the overall progress
  -- and scale this".
  scaling = { who = "agencies", iro_overall = true },

  -- "Please consider and outline the recommendations from each professional ...
  -- Where disagreements cannot be resolved agencies need to follow the
  -- Escalation Policy and Procedure".
  decision = { recommend = "professionals", escalation = "cumbria.decision.escalation" },

  -- "PROFESSIONAL REPORTS TO CHILD PROTECTION CONFERENCES": What is working
  -- well? What are you worried about? What needs to change? and the child's and
  -- family's wishes and feelings.
  report_forms = {
    initial = {
      title = "cumbria.report.title",
      { id = "working_well", title = "cumbria.report.working_well", guidance = { "cumbria.report.guidance.working_well" } },
      { id = "worried", title = "cumbria.report.worried",
        guidance = { "cumbria.report.guidance.past_harm", "cumbria.report.guidance.future_danger",
                     "cumbria.report.guidance.complicating" } },
      { id = "needs_to_change", title = "cumbria.report.needs_to_change", guidance = { "cumbria.report.guidance.needs_to_change" } },
      { id = "wishes_feelings", title = "cumbria.report.wishes_feelings", guidance = { "cumbria.report.guidance.wishes_feelings" } },
    },
  },

  -- "Even everyday professional language, such as neglect, domestic violence,
  -- significant harm and so on, can be unfamiliar to families".
  glossary = {
    { term = "neglect", plain = "cumbria.glossary.neglect" },
    { term = "domestic violence", plain = "cumbria.glossary.domestic_violence" },
    { term = "significant harm", plain = "cumbria.glossary.significant_harm" },
  },

  sections = {
    sos.sections.introductions,
    -- "FAMILY AND NETWORK DETAILS": the genogram, the network, and "The IRO will
    -- ask questions around the quality and importance of relationships".
    sos.sections.family_network:with {
      prompts = { "cumbria.family_network.prompt.genogram", "cumbria.family_network.prompt.network" },
      questions = { "cumbria.family_network.question.child_important",
                    "cumbria.family_network.question.parents_support",
                    "cumbria.family_network.question.professionals" },
    },
    -- "Parents are asked early in the conference 'Why do you think we are
    -- worried about your child?'"
    sos.sections.why_worried:with {
      prompts = { "cumbria.why_worried.prompt.own_words" },
      questions = { "cumbria.why_worried.question.parents" },
    },
    -- "WHAT HAS GOT US TO THIS POINT?": the first, worst and most recent events.
    sos.sections.what_got_us_here:with {
      prompts = {},
      questions = { "cumbria.what_got_us_here.question.first", "cumbria.what_got_us_here.question.worst",
                    "cumbria.what_got_us_here.question.recent" },
    },
    -- "WHAT ARE WE WORRIED ABOUT / WHAT'S WORKING WELL?": "a dynamic mapping"
    -- and "direct work with children has been linked to the worries".
    sos.sections.mapping:with {
      prompts = { "cumbria.mapping.prompt.dynamic", "cumbria.mapping.prompt.direct_work",
                  "sos.mapping.prompt.plain" },
    },
    -- "CHILD AND PARENT'S INVOLVEMENT": "The IRO Will Consider".
    sos.sections.involvement:with {
      prompts = { "cumbria.involvement.prompt.child_understands" },
      questions = { "cumbria.involvement.question.child", "cumbria.involvement.question.parents" },
    },
    -- "The social worker will read out the danger statements and safety goals
    -- ... The scaling is linked to the Danger Statement and Safety Goals so they
    -- form a trio."
    sos.sections.danger_goals:with {
      prompts = { "cumbria.danger_goals.prompt.trio" },
      questions = { "cumbria.danger_goals.question.scale" },
      records = { "danger", "goal", "scale" },
    },
    -- "ANALYSIS AND JUDGEMENT": statements reflect what was heard; the IRO
    -- Overall Progress and Safety Scale.
    sos.sections.scaling:with {
      title = "cumbria.scaling.title",
      questions = { "cumbria.scaling.question.adequate", "cumbria.scaling.question.iro_overall" },
      requires = { { what = "iro_scale", min = 1, reason = "cumbria.scaling.requires.iro_scale" } },
    },
    -- "CONFERENCE DECISION": CIN or CP plan, each professional's recommendation,
    -- escalation where disagreement cannot be resolved.
    sos.sections.decision:with {
      questions = { "cumbria.decision.question.plan", "cumbria.decision.question.recommend" },
      prompts = { "cumbria.decision.escalation" },
      requires = {
        { what = "recommendations", min = 1, reason = "cumbria.decision.requires.recommendations" },
        { what = "decision", min = 1, reason = "sos.decision.requires.decision" },
      },
    },
    plan_item("immediate_safety", { "need" },
              { "cumbria.immediate_safety.question.professionals", "cumbria.immediate_safety.question.family" }),
    plan_item("bottom_lines", { "bottomline" }, { "cumbria.bottom_lines.question.minimum" }),
    plan_item("timeline", { "need" }, {}),
    plan_item("words_and_pictures", { "need" },
              { "cumbria.words_and_pictures.question.shared", "cumbria.words_and_pictures.question.when" }),
    plan_item("who_is_involved", { "person" }, { "cumbria.who_is_involved.question.each" }),
    plan_item("plan_rules", { "rule" }, { "cumbria.plan_rules.question.behaviour" }),
    plan_item("recording_the_plan", { "need" },
              { "cumbria.recording_the_plan.question.children_version",
                "cumbria.recording_the_plan.question.journal",
                "cumbria.recording_the_plan.question.up_to_date",
                "cumbria.recording_the_plan.question.safety_object" }),
    -- "9.8 Conference actions".
    sos.sections.actions:with {
      questions = { "cumbria.actions.question.professionals", "cumbria.actions.question.family",
                    "cumbria.actions.question.when" },
    },
    -- "9.9 Core Groups Members".
    sos.sections.core_group:with { title = "cumbria.core_group.title" },
    sos.sections.close,
  },
}
return agenda
