-- expect: agenda_behind_metatable.lua: the agenda's id and name must be in its own table, not reached through a metatable
-- The contract reads the agenda with ordinary indexing, so a proxy whose
-- __index is the real agenda passes it; the host reads id and name raw and
-- found nothing, which it reported as "out of memory".
local sos = require "signs_of_safety"
local agenda = sos.agenda { id = "agenda_behind_metatable", name = "Proxy Example", source = "tests" }
return setmetatable({}, { __index = agenda })
