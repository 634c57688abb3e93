/*
** test_record_schema.c — every golden JSON record (tests/render/ID/AUDIENCE.json)
** is valid against docs/record-schema.json, and broken records are not.
**
** The validator below knows the part of JSON Schema the schema file uses:
** type (one name or a list), enum, required, properties,
** additionalProperties false, items, minimum, maximum and pattern (POSIX
** extended regular expressions, which the schema's simple patterns are).
** It says where the first problem is, e.g. "$.actions[0].due: type".
*/
#include <regex.h>
#include <stdio.h>
#include <string.h>

#include <jansson.h>

#include "test_util.h"

#define SOURCE CONFER_SOURCE_DIR

static const char *type_name(const json_t *v) {
  switch (json_typeof(v)) {
    case JSON_OBJECT: return "object";
    case JSON_ARRAY: return "array";
    case JSON_STRING: return "string";
    case JSON_INTEGER: return "integer";
    case JSON_REAL: return "number";
    case JSON_TRUE: case JSON_FALSE: return "boolean";
    default: return "null";
  }
}

/* 1 if V has the schema's TYPE (a name or a list of names). */
static int has_type(const json_t *type, const json_t *v) {
  if (type == NULL) return 1;
  if (json_is_string(type)) return strcmp(json_string_value(type), type_name(v)) == 0;
  size_t i;
  json_t *t;
  json_array_foreach(type, i, t) if (has_type(t, v)) return 1;
  return 0;
}

static int in_enum(const json_t *choices, const json_t *v) {
  size_t i;
  json_t *c;
  json_array_foreach(choices, i, c) if (json_equal(c, v)) return 1;
  return 0;
}

static int matches(const char *pattern, const char *text) {
  regex_t re;
  if (regcomp(&re, pattern, REG_EXTENDED | REG_NOSUB) != 0) return 0;
  int ok = regexec(&re, text, 0, NULL, 0) == 0;
  regfree(&re);
  return ok;
}

/* Validates V at PATH against SCHEMA; 0, or -1 with "PATH: keyword" in WHERE. */
static int validate(const json_t *schema, const json_t *v, const char *path, char *where, size_t len);

static int validate_object(const json_t *schema, const json_t *v, const char *path, char *where, size_t len) {
  const json_t *props = json_object_get(schema, "properties");
  size_t i;
  json_t *name;
  json_array_foreach(json_object_get(schema, "required"), i, name) {
    if (json_object_get(v, json_string_value(name)) == NULL) {
      snprintf(where, len, "%s.%s: required", path, json_string_value(name));
      return -1;
    }
  }
  const char *key;
  json_t *value;
  json_object_foreach((json_t *)v, key, value) {
    char sub[512];
    snprintf(sub, sizeof sub, "%s.%s", path, key);
    const json_t *prop = json_object_get(props, key);
    if (prop == NULL) {
      if (json_is_false(json_object_get(schema, "additionalProperties"))) {
        snprintf(where, len, "%.*s: additionalProperties", (int)(len / 2), sub);
        return -1;
      }
      continue;
    }
    if (validate(prop, value, sub, where, len) != 0) return -1;
  }
  return 0;
}

static int validate(const json_t *schema, const json_t *v, const char *path, char *where, size_t len) {
  if (!has_type(json_object_get(schema, "type"), v)) return snprintf(where, len, "%s: type", path), -1;
  const json_t *choices = json_object_get(schema, "enum");
  if (choices != NULL && !in_enum(choices, v)) return snprintf(where, len, "%s: enum", path), -1;
  const json_t *pattern = json_object_get(schema, "pattern");
  if (pattern != NULL && json_is_string(v) && !matches(json_string_value(pattern), json_string_value(v)))
    return snprintf(where, len, "%s: pattern", path), -1;
  const json_t *min = json_object_get(schema, "minimum"), *max = json_object_get(schema, "maximum");
  if (json_is_integer(v) && ((min != NULL && json_integer_value(v) < json_integer_value(min)) ||
                             (max != NULL && json_integer_value(v) > json_integer_value(max))))
    return snprintf(where, len, "%s: range", path), -1;
  if (json_is_object(v)) return validate_object(schema, v, path, where, len);
  if (json_is_array(v) && json_object_get(schema, "items") != NULL) {
    size_t i;
    json_t *item;
    json_array_foreach(v, i, item) {
      char sub[512];
      snprintf(sub, sizeof sub, "%s[%zu]", path, i);
      if (validate(json_object_get(schema, "items"), item, sub, where, len) != 0) return -1;
    }
  }
  return 0;
}

/* The validator's verdict on DOC: "valid" or where the problem is. */
static const char *verdict(const json_t *schema, const json_t *doc) {
  static char where[512];
  return validate(schema, doc, "$", where, sizeof where) == 0 ? "valid" : where;
}

static void check_goldens(const json_t *schema) {
  static const char *const authorities[] = {"worcestershire", "cumbria", "sefton", "north_yorkshire", "surrey"};
  static const char *const audiences[] = {"chair", "room", "family", "child"};
  for (size_t a = 0; a < 5; a++) {
    for (size_t b = 0; b < 4; b++) {
      char path[512];
      snprintf(path, sizeof path, "%s/tests/render/%s/%s.json", SOURCE, authorities[a], audiences[b]);
      json_error_t error;
      json_t *doc = json_load_file(path, 0, &error);
      CHECK(doc != NULL);
      if (doc == NULL) {
        fprintf(stderr, "%s: %s\n", path, error.text);
        continue;
      }
      const char *v = verdict(schema, doc);
      if (strcmp(v, "valid") != 0) fprintf(stderr, "%s: %s\n", path, v);
      CHECK_STR(v, "valid");
      /* The chair-only parts exist for the chair alone. */
      int chair = b == 0;
      CHECK((json_object_get(doc, "restricted") != NULL) == chair);
      CHECK((json_object_get(doc, "withdrawn") != NULL) == chair);
      CHECK((json_object_get(doc, "amended") != NULL) == chair);
      json_decref(doc);
    }
  }
}

/* Breaks a copy of a valid record with one change and returns the verdict. */
static const char *broken(const json_t *schema, const json_t *good, const char *field, json_t *value) {
  json_t *doc = json_deep_copy(good);
  json_object_set_new(doc, field, value);
  static char v[512];
  snprintf(v, sizeof v, "%s", verdict(schema, doc));
  json_decref(doc);
  return v;
}

static void check_refusals(const json_t *schema) {
  json_t *good = json_load_file(SOURCE "/tests/render/sefton/room.json", 0, NULL);
  CHECK(good != NULL);
  if (good == NULL) return;
  CHECK_STR(broken(schema, good, "review_due", json_string("7 July 2025")), "$.review_due: pattern");
  CHECK_STR(broken(schema, good, "audience", json_string("press")), "$.audience: enum");
  CHECK_STR(broken(schema, good, "colour", json_string("red")), "$.colour: additionalProperties");
  CHECK_STR(broken(schema, good, "scaling", json_pack("[{s:s, s:i, s:n}]", "who", "iro", "score", 11, "why")),
            "$.scaling[0].score: range");
  CHECK_STR(broken(schema, good, "actions", json_pack("[{s:s}]", "id", "A1")), "$.actions[0].text: required");
  CHECK_STR(broken(schema, good, "children", json_string("Mia")), "$.children: type");
  json_t *doc = json_deep_copy(good);
  json_object_del(doc, "decision");
  CHECK_STR(verdict(schema, doc), "$.decision: required");
  json_decref(doc);
  json_decref(good);
}

int main(void) {
  json_error_t error;
  json_t *schema = json_load_file(SOURCE "/docs/record-schema.json", 0, &error);
  CHECK(schema != NULL);
  if (schema == NULL) {
    fprintf(stderr, "docs/record-schema.json: %s\n", error.text);
    return TEST_SUMMARY();
  }
  check_goldens(schema);
  check_refusals(schema);
  json_decref(schema);
  return TEST_SUMMARY();
}
