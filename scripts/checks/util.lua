-- checks/util.lua — what the practice checks share: live items, findings,
-- whole-phrase matching.
local U = {}

-- The live items of TYPE (withdrawn ones no longer speak for the record).
function U.live(conf, type)
  local out = {}
  for _, it in ipairs(conf:items(type)) do if not it.withdrawn then out[#out + 1] = it end end
  return out
end

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
