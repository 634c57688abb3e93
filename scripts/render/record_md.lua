-- render/record_md.lua — writes the record's blocks (render/document.lua) as Markdown.
--
-- CommonMark with GitHub-style tables. Every recorded text is escaped, so a
-- chair's "*" or "|" never changes the layout; line breaks inside a table
-- cell become spaces because a cell cannot hold one.

local document = require "render.document"

local md = {}

-- TEXT with Markdown's active characters backslash-escaped ("~" strikes text through on GitHub),
-- so that it reads back as typed. Two escapes apply only where a viewer would otherwise change the
-- words, so other texts come out as before: an "&" that starts a character reference ("&copy;",
-- "&amp;", "&#39;": shown as the character it names), and the first dash of a text of dashes and
-- spaces alone ("---" is a horizontal rule; "--" too, after a list item's "- "). "*" and "_",
-- escaped everywhere, can no longer make a rule.
function md.escape(text)
  local s = tostring(text):gsub("[\\`*_~%[%]<>|#]", "\\%0"):gsub("[\r\n\t]+", " ")
  if s:find("&", 1, true) then s = s:gsub("&(\\?#?%w+;)", "\\&%1") end
  if s:find("^ *%-[ %-]*$") then s = s:gsub("%-", "\\-", 1) end
  return s
end

local function table_block(out, b)
  local headers, rows = b[3], b[4]
  local line, rule = {}, {}
  for i, h in ipairs(headers) do line[i] = md.escape(h); rule[i] = "---" end
  out[#out + 1] = "| " .. table.concat(line, " | ") .. " |"
  out[#out + 1] = "|" .. table.concat(rule, "|") .. "|"
  for _, row in ipairs(rows) do
    local cells = {}
    for i = 1, #headers do cells[i] = md.escape(row[i] or "") end
    out[#out + 1] = "| " .. table.concat(cells, " | ") .. " |"
  end
  out[#out + 1] = ""
end

local write

local writers = {
  h = function(out, b) out[#out + 1] = string.rep("#", b[2]) .. " " .. md.escape(b[3]); out[#out + 1] = "" end,
  p = function(out, b) out[#out + 1] = md.escape(b[2]); out[#out + 1] = "" end,
  list = function(out, b)
    for _, item in ipairs(b[2]) do out[#out + 1] = "- " .. md.escape(item) end
    out[#out + 1] = ""
  end,
  table = table_block,
  -- Markdown has no columns: they follow one another, as on a printed page.
  columns = function(out, b)
    for _, column in ipairs(b[2]) do write(out, column) end
  end,
}

write = function(out, blocks)
  for _, b in ipairs(blocks) do writers[b[1]](out, b) end
end

return function(v, agenda)
  local out = {}
  write(out, document.build(v, agenda))
  while out[#out] == "" do out[#out] = nil end
  return table.concat(out, "\n") .. "\n"
end
