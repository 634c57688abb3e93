-- checks/util.lua — what the practice checks share: findings,
-- whole-phrase matching.
local U = {}

-- A finding: KEY's text formatted with the arguments, WORDS what offended.
function U.finding(key, words, ...)
  return { key = key, words = words, message = confer.text(key, ...) }
end

-- True when TEXT holds PHRASE as whole words, ignoring case ("LAC" is not in "black").
function U.has_phrase(text, phrase)
  local t, p = " " .. tostring(text or ""):lower():gsub("[^%w']+", " ") .. " ",
               " " .. phrase:lower():gsub("[^%w']+", " ") .. " "
  return t:find(p, 1, true) ~= nil
end

return U
