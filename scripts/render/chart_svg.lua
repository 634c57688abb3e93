-- render/chart_svg.lua — `confer chart`: a child's scaling history as an SVG line chart.
--
-- One line per participant who scaled, and one for the chair's (IRO's)
-- overall scale, across the child's conferences in date order. Readable
-- without colour: each line has its own dash pattern and marker shape, each
-- line is labelled at its last point, and a legend repeats pattern, marker
-- and name. The <title> and <desc> give the same facts in words for a
-- screen reader. Nothing depends on the time of the run.

local T = confer.text
local chart = {}

local W, H = 860, 600
local LEFT, RIGHT, TOP, BOTTOM = 70, 200, 70, 170
local LABEL_GAP = 18  -- the least distance between two end labels

local dashes = { "", "8 4", "2 4", "12 4 2 4", "4 4", "16 6", "2 2 8 2", "6 2 2 2 2 2" }
local colours = { "#1a1a1a", "#0b5394", "#a61c00", "#38761d", "#7f6000", "#674ea7", "#134f5c", "#85200c" }

-- Marker shapes, each centred on (x, y).
local markers = {
  function(x, y, c) return ('<circle cx="%.1f" cy="%.1f" r="5" fill="%s"/>'):format(x, y, c) end,
  function(x, y, c) return ('<rect x="%.1f" y="%.1f" width="10" height="10" fill="%s"/>'):format(x - 5, y - 5, c) end,
  function(x, y, c)
    return ('<polygon points="%.1f,%.1f %.1f,%.1f %.1f,%.1f" fill="%s"/>'):format(x, y - 6, x + 6, y + 5, x - 6, y + 5, c)
  end,
  function(x, y, c)
    return ('<polygon points="%.1f,%.1f %.1f,%.1f %.1f,%.1f %.1f,%.1f" fill="%s"/>'):format(
      x, y - 6, x + 6, y, x, y + 6, x - 6, y, c)
  end,
  function(x, y, c)
    return ('<circle cx="%.1f" cy="%.1f" r="5" fill="#ffffff" stroke="%s" stroke-width="2"/>'):format(x, y, c)
  end,
  function(x, y, c)
    return ('<rect x="%.1f" y="%.1f" width="10" height="10" fill="#ffffff" stroke="%s" stroke-width="2"/>'):format(
      x - 5, y - 5, c)
  end,
  function(x, y, c)
    return ('<path d="M%.1f %.1fL%.1f %.1fM%.1f %.1fL%.1f %.1f" stroke="%s" stroke-width="2.5"/>'):format(
      x - 5, y - 5, x + 5, y + 5, x - 5, y + 5, x + 5, y - 5, c)
  end,
  function(x, y, c)
    return ('<path d="M%.1f %.1fL%.1f %.1fM%.1f %.1fL%.1f %.1f" stroke="%s" stroke-width="2.5"/>'):format(
      x - 6, y, x + 6, y, x, y - 6, x, y + 6, c)
  end,
}

local function escape(text)
  return (tostring(text):gsub("[&<>\"']", { ["&"] = "&amp;", ["<"] = "&lt;", [">"] = "&gt;",
                                            ['"'] = "&quot;", ["'"] = "&#39;" }))
end

-- The series: { who, label, points = { [conference index] = score } }, the IRO first, then by name.
function chart.series(confs)
  local by_who, order = {}, {}
  for i, conf in ipairs(confs) do
    for _, s in ipairs(conf:items("scale")) do
      if not s.withdrawn then
        if by_who[s.who] == nil then
          by_who[s.who] = { who = s.who, points = {} }
          order[#order + 1] = s.who
        end
        by_who[s.who].points[i] = s.score  -- a later scale in the same conference replaces it
      end
    end
  end
  table.sort(order, function(a, b)
    if (a == "iro") ~= (b == "iro") then return a == "iro" end
    return a < b
  end)
  local out = {}
  for i, who in ipairs(order) do
    local s = by_who[who]
    s.label = who == "iro" and T("record.chart.iro") or who
    s.style = ((i - 1) % #dashes) + 1
    out[i] = s
  end
  return out
end

local function x_of(i, n)
  if n == 1 then return LEFT + (W - LEFT - RIGHT) / 2 end
  return LEFT + (i - 1) * (W - LEFT - RIGHT) / (n - 1)
end

local function y_of(score) return TOP + (10 - score) * (H - TOP - BOTTOM) / 10 end

local function axes(out, confs)
  for score = 0, 10 do
    local y = y_of(score)
    out[#out + 1] = ('<line x1="%d" y1="%.1f" x2="%d" y2="%.1f" stroke="#bbbbbb" stroke-width="1"/>'):format(
      LEFT, y, W - RIGHT, y)
    out[#out + 1] = ('<text x="%d" y="%.1f" text-anchor="end">%d</text>'):format(LEFT - 10, y + 5, score)
  end
  out[#out + 1] = ('<text x="20" y="%.1f" transform="rotate(-90 20 %.1f)" text-anchor="middle">%s</text>'):format(
    (TOP + H - BOTTOM) / 2, (TOP + H - BOTTOM) / 2, escape(T("record.chart.y_axis")))
  for i, conf in ipairs(confs) do
    local x = x_of(i, #confs)
    out[#out + 1] = ('<text x="%.1f" y="%d" text-anchor="middle">%s</text>'):format(x, H - BOTTOM + 25, escape(conf.date))
    out[#out + 1] = ('<text x="%.1f" y="%d" text-anchor="middle">%s</text>'):format(
      x, H - BOTTOM + 45, escape(T("record.type_short." .. conf.type)))
  end
end

local function draw_series(out, s, n)
  local colour = colours[s.style]
  local path, last = {}, nil
  for i = 1, n do
    local score = s.points[i]
    if score ~= nil then
      path[#path + 1] = ("%s%.1f %.1f"):format(#path == 0 and "M" or "L", x_of(i, n), y_of(score))
      last = i
    end
  end
  local dash = dashes[s.style] ~= "" and (' stroke-dasharray="%s"'):format(dashes[s.style]) or ""
  out[#out + 1] = ('<g><title>%s</title>'):format(escape(s.label))
  out[#out + 1] = ('<path d="%s" fill="none" stroke="%s" stroke-width="2.5"%s/>'):format(table.concat(path, " "), colour, dash)
  for i = 1, n do
    if s.points[i] ~= nil then out[#out + 1] = markers[s.style](x_of(i, n), y_of(s.points[i]), colour) end
  end
  out[#out + 1] = "</g>"
  return last
end

-- Each series' name at the right of the plot, level with its last point but
-- spread apart so that no two overlap, joined to the point by a thin line.
local function end_labels(out, series, n)
  local labels = {}
  for _, s in ipairs(series) do
    labels[#labels + 1] = { s = s, y = y_of(s.points[s.last]), point = y_of(s.points[s.last]) }
  end
  table.sort(labels, function(a, b)
    if a.y ~= b.y then return a.y < b.y end
    return a.s.style < b.s.style
  end)
  for i = 2, #labels do
    if labels[i].y < labels[i - 1].y + LABEL_GAP then labels[i].y = labels[i - 1].y + LABEL_GAP end
  end
  local x = W - RIGHT + 25
  for _, l in ipairs(labels) do
    out[#out + 1] = ('<line x1="%.1f" y1="%.1f" x2="%d" y2="%.1f" stroke="#595959" stroke-width="1"/>'):format(
      x_of(l.s.last, n) + 8, l.point, x - 4, l.y)
    out[#out + 1] = ('<text x="%d" y="%.1f">%s</text>'):format(x, l.y + 5, escape(l.s.label))
  end
end

-- The legend below the plot: line pattern, marker and name, three to a row.
local function legend(out, series)
  local top = H - BOTTOM + 75
  out[#out + 1] = ('<text x="%d" y="%d" font-weight="bold">%s</text>'):format(LEFT, top, escape(T("record.chart.legend")))
  for i, s in ipairs(series) do
    local x = LEFT + ((i - 1) % 3) * 240
    local y = top + 12 + math.ceil(i / 3) * 24
    local colour = colours[s.style]
    local dash = dashes[s.style] ~= "" and (' stroke-dasharray="%s"'):format(dashes[s.style]) or ""
    out[#out + 1] = ('<line x1="%d" y1="%d" x2="%d" y2="%d" stroke="%s" stroke-width="2.5"%s/>'):format(
      x, y, x + 40, y, colour, dash)
    out[#out + 1] = markers[s.style](x + 20, y, colour)
    out[#out + 1] = ('<text x="%d" y="%d">%s</text>'):format(x + 50, y + 5, escape(s.label))
  end
end

-- The chart's facts in words: "Cara Sample: 2 (2025-04-07), 5 (2025-07-07)." one line per series.
local function description(series, confs)
  local lines = {}
  for _, s in ipairs(series) do
    local points = {}
    for i, conf in ipairs(confs) do
      if s.points[i] ~= nil then points[#points + 1] = T("record.chart.point", s.points[i], conf.date) end
    end
    lines[#lines + 1] = T("record.chart.series", s.label, table.concat(points, ", "))
  end
  return table.concat(lines, " ")
end

function chart.render(name, confs)
  local series = chart.series(confs)
  local title = T("record.chart.title", name)
  local out = {
    ('<svg xmlns="http://www.w3.org/2000/svg" width="%d" height="%d" viewBox="0 0 %d %d" role="img" '
     .. 'aria-labelledby="chart-title chart-desc" font-family="Helvetica, Arial, sans-serif" font-size="14" '
     .. 'fill="#1a1a1a">'):format(W, H, W, H),
    '<title id="chart-title">' .. escape(title) .. "</title>",
    '<desc id="chart-desc">' .. escape(description(series, confs)) .. "</desc>",
    ('<rect width="%d" height="%d" fill="#ffffff"/>'):format(W, H),
    ('<text x="%d" y="35" font-size="20" font-weight="bold">%s</text>'):format(LEFT, escape(title)),
  }
  axes(out, confs)
  if #series == 0 then
    out[#out + 1] = ('<text x="%d" y="%d">%s</text>'):format(LEFT + 20, TOP + 40, escape(T("record.chart.no_scales")))
  end
  for _, s in ipairs(series) do s.last = draw_series(out, s, #confs) end
  end_labels(out, series, #confs)
  legend(out, series)
  out[#out + 1] = "</svg>"
  return table.concat(out, "\n") .. "\n"
end

return chart
