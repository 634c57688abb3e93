-- worcestershire.lua — Worcestershire's child protection conference agenda.
--
-- Source: "Signs of Safety: information leaflet for partner agencies"
-- (seeds/001_9e2dd031027aef51.txt). Each rule below names the leaflet's
-- passage it comes from; everything else is the Signs of Safety base.

local sos = require "signs_of_safety"

local agenda = sos.agenda {
  id = "worcestershire",
  name = "Worcestershire",
  source = "Worcestershire leaflet for partner agencies (seeds/001)",

  -- "What we are worried about? Past harm, future danger, complicating factors"
  -- "What is working well? Strengths and safety which already exist"
  columns = {
    worried = { "past_harm", "future_danger", "complicating_factors" },
    working_well = { "strengths", "existing_safety" },
  },
  categories = { strengths = "worcs.category.strengths" },

  -- "you should distinguish between fact, observation, allegation and opinion.
  -- The source of the information should also be made clear."
  evidence = { kinds = { "fact", "observation", "allegation", "opinion" }, required = true },

  -- "the Chair will ask you a question to scale from 0 to 10 to measure how
  -- concerned you are and why" (asked of each agency).
  scaling = { who = "agencies", iro_overall = false },

  -- "will ask each agency for their view about whether the outline plan ...
  -- constitutes a Child in Need Plan or a Child Protection Plan" and "It is the
  -- responsibility of the Child Protection Chair to decide the category of risk".
  decision = { recommend = "agencies" },

  -- "at least 24 hours in advance of an initial conference and 3 working days
  -- before a review conference".
  timescales = { reports = { initial = "24 hours before", review = "3 working days before" } },

  -- "Agencies no longer read out their report; instead you are asked to provide
  -- key information concisely, focussing on the above points".
  report_forms = {
    initial = {
      title = "worcs.report.title",
      { id = "worried", title = "worcs.report.worried", guidance = { "worcs.report.guidance.evidence" } },
      { id = "working_well", title = "worcs.report.working_well", guidance = { "worcs.report.guidance.evidence" } },
      { id = "needs_to_happen", title = "worcs.report.needs_to_happen" },
    },
    review = {
      title = "worcs.report.title",
      { id = "worried", title = "worcs.report.worried", guidance = { "worcs.report.guidance.evidence" } },
      { id = "working_well", title = "worcs.report.working_well", guidance = { "worcs.report.guidance.evidence" } },
      { id = "needs_to_happen", title = "worcs.report.needs_to_happen" },
    },
  },

  sections = {
    sos.sections.introductions,
    -- "Information is recorded on a whiteboard ... the Chairperson asks questions
    -- of professionals and family moving between worries and strengths".
    sos.sections.mapping:with {
      prompts = { "worcs.mapping.prompt.whiteboard", "worcs.mapping.prompt.evidence",
                  "sos.mapping.prompt.plain" },
    },
    -- "the Chair will ask the social worker for their Danger Statement ... The
    -- conference then agrees 'what would you need to see to end the plan/close
    -- the case?' This is the Safety Goal".
    sos.sections.danger_goals:with {
      questions = { "worcs.danger_goals.question.danger", "worcs.danger_goals.question.goal" },
    },
    -- "Actions ... are identified and recorded during the conference as Next
    -- Steps - this becomes the plan."
    sos.sections.actions:with { title = "worcs.actions.title" },
    sos.sections.scaling:with { questions = { "worcs.scaling.question.scale" } },
    -- "The Chair will explain the threshold for a Child Protection Plan and will
    -- ask each agency for their view".
    sos.sections.decision:with {
      prompts = { "worcs.decision.prompt.threshold" },
      questions = { "worcs.decision.question.agency_view", "worcs.decision.question.category" },
    },
    sos.sections.close,
  },
}
return agenda
