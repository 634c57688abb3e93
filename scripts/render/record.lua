-- render/record.lua — `confer record`: picks the renderer for a format and runs it on a view.
--
-- The host calls record.render(agenda, conf, options) in the agenda's sandbox
-- with options = { format = "md"|"html"|"json", audience = ..., lang = "en_GB" }.
-- Each format is its own module (render/record_md.lua, ...), required by name
-- so that an authority restyles one by putting render/record_html.lua earlier
-- on its plugin path. Returns the document and a list of warnings for the chair.

local view = require "render.view"

local record = {}

record.formats = { md = "render.record_md", html = "render.record_html", json = "render.record_json" }

-- Glossary terms left in the family's or child's words, one warning each.
local function jargon_warnings(agenda, audience, format, text)
  local warnings = {}
  -- JSON carries the recorded words as they were said, for other systems, not for reading.
  if (audience ~= "family" and audience ~= "child") or format == "json" then return warnings end
  for _, term in ipairs(view.jargon_left(agenda, text)) do
    warnings[#warnings + 1] = confer.text("record.warning.jargon", audience, term)
  end
  return warnings
end

function record.render(agenda, conf, options)
  local module = record.formats[options.format]
  if module == nil then error("unknown format '" .. tostring(options.format) .. "'", 0) end
  if not view.audiences[options.audience] then
    error("unknown audience '" .. tostring(options.audience) .. "'", 0)
  end
  local v = view.build(agenda, conf, options.audience)
  local text = require(module)(v, agenda, options)
  return text, jargon_warnings(agenda, options.audience, options.format, text)
end

return record
