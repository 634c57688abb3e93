-- checks/timescales.lua — the review conference and the first core group the
-- chair set (`reviewdate`, `coregroupdate`) must fall within the authority's
-- timescales: the first review within 3 months of an initial conference, later
-- ones within 6, the core group within its setting (10 working days by
-- default). Dates left to the timescales are within them by construction.
local util = require "checks.util"
local view = require "render.view"

return {
  id = "timescales",
  run = function(conf, agenda)
    local out = {}
    if conf.decision ~= "cp" then return out end
    local review, core_group = view.latest_dates(agenda, conf)
    if conf.review_date ~= nil and conf.review_date > review then
      out[#out + 1] = util.finding("checks.timescales.review", conf.review_date,
                                   view.long_date(conf.review_date), view.long_date(review))
    end
    if conf.core_group_date ~= nil and conf.core_group_date > core_group then
      out[#out + 1] = util.finding("checks.timescales.core_group", conf.core_group_date,
                                   view.long_date(conf.core_group_date), view.long_date(core_group))
    end
    return out
  end,
}
