-- north_yorkshire.lua — North Yorkshire's child protection conference agenda.
--
-- Source: North Yorkshire Safeguarding Children Partnership, "One Minute
-- Guide: Signs of Safety" (seeds/003_ba60f32db3187807.txt). The guide names
-- no mapping categories, so the base's apply. The order of the sections
-- follows North Yorkshire's conference agenda as summarised in
-- reference/domain-facts.md §1 ("Family & network -> Worries / What's working
-- well -> Child and parent involvement -> danger statements, each scaled ->
-- Overall safety scale -> Decision").

local sos = require "signs_of_safety"

-- The guide links the three templates but does not reproduce them: each form
-- carries the guide's three questions and its scaling question.
local function report_form(title, template)
  return {
    title = title, template = template,
    { id = "worried", title = "nyorks.report.worried" },
    { id = "working_well", title = "nyorks.report.working_well" },
    { id = "needs_to_happen", title = "nyorks.report.needs_to_happen" },
    { id = "scale", title = "nyorks.report.scale", guidance = { "nyorks.scale.question" } },
  }
end

local agenda = sos.agenda {
  id = "north_yorkshire",
  name = "North Yorkshire",
  source = "North Yorkshire Safeguarding Children Partnership one-minute guide (seeds/003)",

  -- "participants, including the child and their family, will respond to the
  -- question on a scale of 0 (child is unsafe) and 10 (child is safe)";
  -- the overall safety scale from the agenda in domain-facts.md §1.
  scaling = { who = "everyone", low = "nyorks.scale.low", high = "nyorks.scale.high", iro_overall = true },

  -- "what the family goals and agency goals are with regard to the welfare of the child".
  goals = { family = true, agency = true },

  -- "A record of the meeting will be given to everyone who attended the meeting."
  record = { audience = "nyorks.record.audience" },

  -- "Agency report templates": Initial and Review Child Protection
  -- Conferences, and the Child Protection Conference Report for Medical Practitioners.
  report_forms = {
    initial = report_form("nyorks.report.icpc",
      "https://www.safeguardingchildren.co.uk/wp-content/uploads/2019/09/agency-icpc-reports-1.doc"),
    review = report_form("nyorks.report.rcpc",
      "https://www.safeguardingchildren.co.uk/wp-content/uploads/2019/09/agency-rcpc-reports.doc"),
    medical = report_form("nyorks.report.medical",
      "https://www.safeguardingchildren.co.uk/wp-content/uploads/2019/09/CPC.doc"),
  },

  sections = {
    sos.sections.introductions,
    sos.sections.family_network,
    -- "recorded on a large whiteboard or projected on to a screen so that
    -- everyone can clearly see and comment", in three columns.
    sos.sections.mapping:with {
      prompts = { "nyorks.mapping.prompt.screen", "sos.mapping.prompt.columns", "sos.mapping.prompt.plain" },
    },
    sos.sections.involvement,
    sos.sections.danger_goals,
    -- "This is referred to as a scaling question and is used to help generate
    -- discussion and highlight differences in opinion and perception."
    sos.sections.scaling:with {
      questions = { "nyorks.scale.question" },
      prompts = { "nyorks.scaling.prompt.differences" },
    },
    sos.sections.decision,
    -- "At the end of the meeting there will be agreement to what the next steps
    -- should be ..., what the family goals and agency goals are".
    sos.section {
      id = "goals", title = "nyorks.goals.title",
      questions = { "nyorks.goals.question.family", "nyorks.goals.question.agency" },
      records = { "goal", "need" },
    },
    sos.sections.actions:with { title = "nyorks.actions.title" },
    sos.sections.close:with { prompts = { "nyorks.close.prompt.record" } },
  },
}
return agenda
