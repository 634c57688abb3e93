-- render/record_json.lua — the record as one JSON object for other systems to import.
--
-- The object is documented by docs/record-schema.json; its keys come out in a
-- fixed order and arrays in recording order, so the same conference always
-- gives the same bytes. Dates are "YYYY-MM-DD"; a value not recorded is null.
-- `restricted`, `withdrawn` and `amended` are present for the chair's audience only.

local json = {}

local NULL = setmetatable({}, { __name = "null" })
local OBJECT = {}

-- An object with keys in the order given: obj("a", 1, "b", NULL).
local function obj(...)
  return setmetatable({ ... }, OBJECT)
end

local function opt(value)
  if value == nil then return NULL end
  return value
end

local escapes = { ['"'] = '\\"', ["\\"] = "\\\\", ["\b"] = "\\b", ["\f"] = "\\f",
                  ["\n"] = "\\n", ["\r"] = "\\r", ["\t"] = "\\t" }

local function string_literal(s)
  return '"' .. s:gsub('[%c"\\]', function(c)
    return escapes[c] or ("\\u%04x"):format(c:byte())
  end) .. '"'
end

local encode

local function encode_object(out, value, indent)
  if #value == 0 then out[#out + 1] = "{}"; return end
  out[#out + 1] = "{\n"
  local inner = indent .. "  "
  for i = 1, #value, 2 do
    out[#out + 1] = inner .. string_literal(value[i]) .. ": "
    encode(out, value[i + 1], inner)
    out[#out + 1] = i + 1 < #value and ",\n" or "\n"
  end
  out[#out + 1] = indent .. "}"
end

local function encode_array(out, value, indent)
  if #value == 0 then out[#out + 1] = "[]"; return end
  out[#out + 1] = "[\n"
  local inner = indent .. "  "
  for i, v in ipairs(value) do
    out[#out + 1] = inner
    encode(out, v, inner)
    out[#out + 1] = i < #value and ",\n" or "\n"
  end
  out[#out + 1] = indent .. "]"
end

encode = function(out, value, indent)
  local t = type(value)
  if value == NULL then out[#out + 1] = "null"
  elseif t == "string" then out[#out + 1] = string_literal(value)
  elseif math.type(value) == "integer" then out[#out + 1] = tostring(value)
  elseif t == "boolean" then out[#out + 1] = tostring(value)
  elseif getmetatable(value) == OBJECT then encode_object(out, value, indent)
  elseif t == "table" then encode_array(out, value, indent)
  else error("cannot write a " .. t .. " as JSON") end
end

-- VALUE as indented JSON text (objects made with obj, arrays as plain lists).
function json.encode(value)
  local out = {}
  encode(out, value, "")
  return table.concat(out)
end

json.obj, json.null = obj, NULL

local function map(list, fn)
  local out = {}
  for i, v in ipairs(list) do out[i] = fn(v) end
  return out
end

local function entry(e)
  return obj("id", e.id, "category", e.category, "text", e.text, "kind", opt(e.kind), "source", opt(e.source))
end

local function text_item(t) return obj("id", t.id, "text", t.text) end

local function person(p)
  return obj("id", p.id, "name", p.name, "role", opt(p.role), "agency", opt(p.agency))
end

local function child(c) return obj("id", c.id, "name", c.name, "dob", opt(c.dob)) end

local function copy_list(list)
  return map(list or {}, function(s) return s end)
end

function json.record(v)
  local fields = {
    "format", "confer.record/1",
    "audience", v.audience,
    "authority", obj("id", v.authority.id, "name", v.authority.name),
    "conference", obj("id", v.conference.id, "type", v.conference.type, "date", v.conference.date,
                      "chair", opt(v.conference.chair), "closed_at", opt(v.conference.closed_at)),
    "children", map(v.children, child),
    "participants", map(v.participants, person),
    "apologies", map(v.apologies, person),
    "worried", map(v.worried, entry),
    "working_well", map(v.working_well, entry),
    "danger_statements", map(v.danger_statements, text_item),
    "safety_goals", map(v.safety_goals, text_item),
    "scaling", map(v.scaling, function(s) return obj("who", s.who, "score", s.score, "why", opt(s.why)) end),
    "recommendations", map(v.recommendations,
                           function(r) return obj("who", r.who, "plan", r.plan, "why", opt(r.why)) end),
    "decision", obj("plan", opt(v.decision.plan), "categories", copy_list(v.decision.categories)),
    "escalation", opt(v.escalation),
    "actions", map(v.actions, function(a)
      return obj("id", a.id, "text", a.text, "owner", opt(a.owner), "due", opt(a.due),
                 "worries", copy_list(a.worries), "outcome", opt(a.outcome))
    end),
    "bottom_lines", map(v.bottom_lines, text_item),
    "plan_rules", map(v.plan_rules, text_item),
    "core_group", obj("members", copy_list(v.core_group.members), "date", opt(v.core_group.date)),
    "review_due", opt(v.review_due),
  }
  if v.audience == "chair" then
    local n = #fields
    fields[n + 1], fields[n + 2] = "restricted", map(v.restricted, text_item)
    fields[n + 3], fields[n + 4] = "withdrawn", map(v.withdrawn, function(w)
      return obj("id", w.id, "type", w.type, "text", opt(w.text), "reason", opt(w.reason))
    end)
    fields[n + 5], fields[n + 6] = "amended", map(v.amended, function(a)
      return obj("id", a.id, "previous", copy_list(a.previous))
    end)
  end
  return obj(table.unpack(fields))
end

return setmetatable(json, { __call = function(_, v) return json.encode(json.record(v)) .. "\n" end })
