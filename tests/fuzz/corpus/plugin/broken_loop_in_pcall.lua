-- expect: loop_in_pcall.lua:5: instruction budget exhausted (runaway loop?)
-- Tries to swallow the budget error with pcall and carry on looping.
while true do
  pcall(function()
    while true do end
  end)
end
