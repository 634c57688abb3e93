-- render/record_html.lua — writes the record's blocks (render/document.lua) as one HTML page.
--
-- Self-contained: inline CSS, no scripts, no images, nothing fetched. It
-- follows WCAG 2.2 AA basics: the page's language is set, headings go in
-- order, tables have captions and header cells with scope, text contrast is
-- at least 7:1 (#1a1a1a on white), and nothing is said by colour alone (the
-- columns are named by their headings). On a screen the three mapping
-- columns stand side by side as on the whiteboard; printed on A4 they follow
-- one another.

local document = require "render.document"

local html = {}

local escapes = { ["&"] = "&amp;", ["<"] = "&lt;", [">"] = "&gt;", ['"'] = "&quot;", ["'"] = "&#39;" }

function html.escape(text)
  return (tostring(text):gsub("[&<>\"']", escapes))
end

html.style = [[
main { position: relative; }
body { font-family: "Helvetica Neue", Arial, sans-serif; font-size: 1rem; line-height: 1.5;
       color: #1a1a1a; background: #ffffff; margin: 1.5rem auto; max-width: 90rem; padding: 0 1rem; }
h1 { font-size: 1.75rem; margin: 0 0 0.5rem; }
h2 { font-size: 1.35rem; margin: 1.75rem 0 0.5rem; border-bottom: 2px solid #1a1a1a; }
h3 { font-size: 1.15rem; margin: 1.25rem 0 0.4rem; }
h4 { font-size: 1rem; margin: 1rem 0 0.3rem; }
table { border-collapse: collapse; width: 100%; margin: 0.5rem 0 1rem; }
/* Captions name each table for screen readers; on the page the heading above says it. */
caption { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }
th, td { border: 1px solid #595959; padding: 0.3rem 0.5rem; text-align: left; vertical-align: top; }
th { background: #eeeeee; }
.columns { display: grid; grid-template-columns: repeat(3, minmax(0, 1fr)); gap: 1rem; }
.column { border: 2px solid #1a1a1a; padding: 0 0.75rem; }
@media (max-width: 60rem) { .columns { grid-template-columns: 1fr; } }
@page { size: A4; margin: 15mm; }
@media print {
  body { font-size: 10.5pt; margin: 0; max-width: none; }
  .columns { display: block; }
  .column { border: none; padding: 0; }
  table { page-break-inside: auto; }
  tr, h2, h3, h4 { page-break-inside: avoid; page-break-after: auto; }
  h2, h3, h4 { page-break-after: avoid; }
}
]]

local write

local function table_block(out, b)
  out[#out + 1] = "<table>"
  out[#out + 1] = "<caption>" .. html.escape(b[2]) .. "</caption>"
  local cells = {}
  for i, h in ipairs(b[3]) do cells[i] = '<th scope="col">' .. html.escape(h) .. "</th>" end
  out[#out + 1] = "<thead><tr>" .. table.concat(cells) .. "</tr></thead>"
  out[#out + 1] = "<tbody>"
  for _, row in ipairs(b[4]) do
    cells = {}
    for i = 1, #b[3] do
      local text = html.escape(row[i] or "")
      cells[i] = i == 1 and ('<th scope="row">' .. text .. "</th>") or ("<td>" .. text .. "</td>")
    end
    out[#out + 1] = "<tr>" .. table.concat(cells) .. "</tr>"
  end
  out[#out + 1] = "</tbody>"
  out[#out + 1] = "</table>"
end

local writers = {
  h = function(out, b) out[#out + 1] = ("<h%d>%s</h%d>"):format(b[2], html.escape(b[3]), b[2]) end,
  p = function(out, b) out[#out + 1] = "<p>" .. html.escape(b[2]) .. "</p>" end,
  list = function(out, b)
    out[#out + 1] = "<ul>"
    for _, item in ipairs(b[2]) do out[#out + 1] = "<li>" .. html.escape(item) .. "</li>" end
    out[#out + 1] = "</ul>"
  end,
  table = table_block,
  columns = function(out, b)
    out[#out + 1] = '<div class="columns">'
    for _, column in ipairs(b[2]) do
      out[#out + 1] = '<section class="column">'
      write(out, column)
      out[#out + 1] = "</section>"
    end
    out[#out + 1] = "</div>"
  end,
}

write = function(out, blocks)
  for _, b in ipairs(blocks) do writers[b[1]](out, b) end
end

-- "en_GB" -> "en-GB", the form the lang attribute takes (BCP 47).
function html.lang(code)
  return (tostring(code or "en_GB"):gsub("_", "-"))
end

return function(v, agenda, options)
  local blocks = document.build(v, agenda)
  local out = {
    "<!DOCTYPE html>",
    '<html lang="' .. html.escape(html.lang(options.lang)) .. '">',
    "<head>",
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    "<title>" .. html.escape(blocks[1][3]) .. "</title>",
    "<style>", html.style, "</style>",
    "</head>",
    "<body>",
    "<main>",
  }
  write(out, blocks)
  out[#out + 1] = "</main>"
  out[#out + 1] = "</body>"
  out[#out + 1] = "</html>"
  return table.concat(out, "\n") .. "\n"
end
