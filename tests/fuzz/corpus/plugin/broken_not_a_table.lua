-- expect: not_a_table.lua:1: the plugin must return the agenda made by sos.agenda{...}, got string
-- A plugin that returns its name instead of the agenda.
return "not_a_table"
