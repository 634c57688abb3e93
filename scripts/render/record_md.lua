-- render/record_md.lua — writes the record's blocks (render/document.lua) as Markdown.
--
-- CommonMark with GitHub-style tables. Every recorded text is escaped, so a
-- chair's "*" or "|" never changes the layout; line breaks inside a table
-- cell become spaces because a cell cannot hold one.

local document = require "render.document"

local md = {}

-- S (escaped inline) with a backslash before what would make its line a block of another kind:
-- a list's "-", "+" or "3." (then a space, or nothing), or the first dash of dashes and spaces
-- alone (a horizontal rule). A text that begins "- Dad said" or "2. Mum" stays a sentence, and
-- inside a list item ("- " already written) no list is nested in it.
local function escape_block_start(s)
  if not s:find("^[ %d+-]") then return s end   -- most texts begin with a letter: nothing to do
  local at = s:match("^ *()[-+] ") or s:match("^ *()[-+]$") or s:match("^ *()%-[ %-]*$")
  if at then return s:sub(1, at - 1) .. "\\" .. s:sub(at) end
  local dot = s:match("^ *%d+()[.)] ") or s:match("^ *%d+()[.)]$")
  if dot then return s:sub(1, dot - 1) .. "\\" .. s:sub(dot) end
  return s
end

-- TEXT with Markdown's active characters backslash-escaped ("~" strikes text through on GitHub),
-- so that it reads back as typed. Two escapes apply only where a viewer would otherwise change the
-- words, so other texts come out as before: an "&" that starts a character reference ("&copy;",
-- "&amp;", "&#39;": shown as the character it names), and what would start another block
-- (escape_block_start). "*" and "_", escaped everywhere, can make neither a rule nor a list.
function md.escape(text)
  local s = tostring(text):gsub("[\\`*_~%[%]<>|#]", "\\%0"):gsub("[\r\n\t]+", " ")
  if s:find("&", 1, true) then s = s:gsub("&(\\?#?%w+;)", "\\&%1") end
  return escape_block_start(s)
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
