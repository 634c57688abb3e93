-- expect:   - hostile: PLUGIN:15: the Example leaflet lost page 2
-- input: end
-- input: worry past_harm | Seen again at school | fact | Sam Sample
-- events: entry.mapped
-- status: 0
-- A check that raises a table with a __tostring: the chair sees its text
-- and the plugin's line that raised it (a table's error() gets no
-- position of its own), in one line.
local sos = require "signs_of_safety"
local leaflet_error = setmetatable({}, {__tostring = function() return "the Example leaflet lost page 2" end})
local agenda = sos.agenda {
  id = "table_error_in_check", name = "Hostile", source = "tests: hostile plugins",
  checks = { { id = "hostile", message = "sos.check.actions_smart", check = function(conf)
    if conf:count("worried") == 0 then return {} end
    error(leaflet_error)
  end } },
}
return agenda
