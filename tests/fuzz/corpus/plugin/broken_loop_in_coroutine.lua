-- expect: loop_in_coroutine.lua:4: instruction budget exhausted (runaway loop?)
-- Runs away inside a coroutine and tries to swallow the error with resume.
local co = coroutine.create(function()
  while true do end
end)
while true do coroutine.resume(co) end
