-- surrey.lua — Surrey's child protection conference agenda.
--
-- Source: "Briefing note to update partner agencies on the implementation of
-- Signs of Safety model of practice to Child Protection Conferences", SSCB
-- April 2018 (seeds/004_a2bf37d810e21ca8.txt), section "What changes can you
-- expect?". The briefing names no mapping categories, so the base's apply.

local sos = require "signs_of_safety"

local agenda = sos.agenda {
  id = "surrey",
  name = "Surrey",
  source = "Surrey briefing note to partner agencies, SSCB April 2018 (seeds/004)",

  -- "Reports to conference should be shared with the network before initial
  -- conference ... For review conferences they will be shared at the Core
  -- Group meeting 2 weeks before the review."
  timescales = { reports = { review = "2 weeks before" } },

  -- "There will no longer be a confidential section at the beginning of the
  -- meeting. Practitioners are now asked to share any confidential or
  -- sensitive information ... in advance of the meeting with the Chair."
  restricted = { confidential_section = false },
  -- What practitioners shared with the chair in advance may still be a worry
  -- the chair maps: it goes under its own category, kept for the chair's
  -- record alone, never the room's, the family's or the board's.
  columns = {
    worried = { "past_harm", "future_danger", "complicating_factors", "shared_with_chair" },
  },
  chair_only = { categories = { "shared_with_chair" } },

  -- "Child Protection Chairs will meet with the child/ren/family for
  -- discussions prior to the meeting in the conference room. Practitioners
  -- will then be invited to join the meeting."
  family_first = true,

  sections = {
    sos.section {
      id = "family_first", title = "surrey.family_first.title",
      prompts = { "surrey.family_first.prompt.before_practitioners",
                  "surrey.family_first.prompt.danger_goals_shared",
                  "surrey.family_first.prompt.reports_shared" },
      records = { "child", "person" },
      requires = { { what = "children", min = 1, reason = "sos.introductions.requires.child" } },
    },
    sos.sections.introductions:with {
      prompts = { "surrey.introductions.prompt.practitioners_join", "sos.introductions.prompt.purpose" },
      requires = {},
    },
    -- "Recording of key points will be visible on flip chart paper around the
    -- room ensuring that what is written is transparent for the family members."
    sos.sections.mapping:with {
      prompts = { "surrey.mapping.prompt.flip_chart", "sos.mapping.prompt.columns", "sos.mapping.prompt.plain" },
    },
    -- "Danger Statements and Safety Goals will be used in the conference with a
    -- focus of working together to agree what safety for the child will look like."
    sos.sections.danger_goals:with { prompts = { "surrey.danger_goals.prompt.agree" } },
    sos.sections.scaling,
    sos.sections.decision,
    -- "A revised report to conference and safety plans will be used."
    sos.sections.what_needs_to_happen:with { title = "surrey.safety_plan.title" },
    sos.sections.actions,
    sos.sections.core_group,
    sos.sections.close,
  },
}
return agenda
