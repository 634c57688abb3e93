/*
** board.c — the live board: the conference as the room sees it, served
** read-only over HTTP with libmicrohttpd.
**
** One thread a connection (MHD_USE_THREAD_PER_CONNECTION): a stream's
** thread may wait on the board's condition variable for the next state
** without holding anything the recording side needs. The recording side
** only swaps in a new JSON text and signals (board_publish); all network
** I/O happens in the server's threads, so a slow or vanished viewer can
** never hold up the chair. The page renders the JSON itself with
** textContent (never as HTML), so no recorded text is ever markup.
*/
#include "board.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <time.h>

#include <lauxlib.h>
#include <microhttpd.h>
#include <sodium.h>

#include "dynlib.h"
#include "i18n.h"
#include "sandbox.h"

/*
** The libmicrohttpd functions the board calls, resolved when the first board
** starts (dynlib.h): a chair who never shows a board never loads it and the
** dozen libraries it brings (GnuTLS among them).
*/
#define MHD_FUNCTIONS(X) \
  X(MHD_add_response_header) X(MHD_create_response_from_buffer) \
  X(MHD_create_response_from_callback) X(MHD_destroy_response) X(MHD_get_daemon_info) \
  X(MHD_lookup_connection_value) X(MHD_queue_response) X(MHD_start_daemon) X(MHD_stop_daemon) \
  X(MHD_get_connection_info) X(MHD_http_unescape)
static struct { MHD_FUNCTIONS(DYNLIB_POINTER) } mhd;

/* Fills mhd (once per process). Returns 0, or -1 with ERR set. */
static int mhd_load(char *err, size_t errlen) {
#define MHD_SLOT(f) (void **)&mhd.f,
  static const char *const names[] = {MHD_FUNCTIONS(DYNLIB_NAME)};
  void **const slots[] = {MHD_FUNCTIONS(MHD_SLOT)};
  return dynlib_load(CONFER_LIBMHD, _("board.feature"), names, slots, sizeof names / sizeof names[0],
                     err, errlen);
}

#define KEEPALIVE_SECONDS 15   /* a comment line on idle streams finds vanished viewers */
#define IDLE_TIMEOUT_SECONDS 30 /* a connection that moves nothing for this long is closed */
#define REQUEST_SECONDS 10      /* a connection must have asked for something by then */
#define WAITING_PER_ADDRESS 16  /* a shared board's connections from one address yet to ask */

/*
** A connection not yet answered. The idle timeout alone would let a client
** keep a slot for ever by sending its request a byte every few seconds; with
** BOARD_MAX_CONNECTIONS of those nobody else could open the board. So each
** connection is listed from its start until it closes, and one that has not
** finished its request within REQUEST_SECONDS is shut down by the board's
** watchdog. MHD closes the socket only after telling us (connection_event),
** so a listed descriptor is never one reused by another connection.
*/
typedef struct pending {
  int fd;
  int answered;                /* the request reached handle(): no deadline */
  struct in_addr from;         /* the client's address (0.0.0.0 when MHD did not say) */
  struct timespec since;
  struct pending *prev, *next;
} pending;

struct board {
  struct MHD_Daemon *daemon;
  pthread_mutex_t lock;        /* guards everything below */
  pthread_cond_t changed;      /* signalled on a new state, a new token and on stop */
  char *state;                 /* the room's view as compact JSON */
  char *page_head;             /* the page up to its stylesheet's address, which takes the token */
  char *page;                  /* the rest of the page without its state: labels, data blocks */
  unsigned long version;       /* bumped by each publish */
  unsigned long token_generation;
  int with_token, stopping;
  char token[BOARD_TOKEN_LEN + 1];
  json_t *sections;            /* owned copy, part of every state */
  json_t *chair_only;          /* owned: categories never shown */
  char address[64];
  unsigned port;
  pending *connections;        /* every open connection (see pending) */
  pthread_t watchdog;
  int watchdog_started;
};

/* ** {====== The room's view ====== */

/* Keys of the model's JSON the room may see; everything else stays with the chair. */
static const char *const room_keys[] = {
  "id", "authority", "type", "date", "children", "participants", "worried", "working_well",
  "dangers", "goals", "scaling", "recommendations", "decision", "actions", "bottom_lines",
  "rules", "core_group", "section", "closed", NULL};

/* Item members that are history or the chair's, never the room's. */
static const char *const item_private[] = {"seq", "withdrawn", "withdrawn_reason", "previous",
                                           "dob", NULL};

/* A copy of one item without its private members, or NULL (out of memory). */
static json_t *room_item(json_t *item) {
  json_t *copy = json_deep_copy(item);
  if (copy == NULL) return NULL;
  for (const char *const *k = item_private; *k != NULL; k++) json_object_del(copy, *k);
  return copy;
}

/* The live items of the array ITEMS, each stripped; NULL when out of memory. */
static json_t *room_items(json_t *items) {
  json_t *out = json_array(), *item;
  size_t i;
  if (out == NULL) return NULL;
  json_array_foreach(items, i, item) {
    if (json_is_true(json_object_get(item, "withdrawn"))) continue;
    if (json_array_append_new(out, room_item(item)) != 0) {
      json_decref(out);
      return NULL;
    }
  }
  return out;
}

/* A member of the room's view: arrays of items filtered, scaling without its history. */
static json_t *room_value(const char *key, json_t *value) {
  if (json_is_array(value) && strcmp(key, "core_group") != 0) return room_items(value);
  if (strcmp(key, "scaling") == 0) {
    json_t *iro = json_object_get(value, "iro");
    json_t *out = json_pack("{s:o,s:o}", "participants",
                            room_items(json_object_get(value, "participants")), "iro",
                            json_is_object(iro) && !json_is_true(json_object_get(iro, "withdrawn"))
                              ? room_item(iro) : json_null());
    return out;
  }
  return json_deep_copy(value);
}

/* 1 if the string S is in the JSON array LIST (NULL: an empty list). */
static int listed(const json_t *list, const char *s) {
  size_t i;
  json_t *e;
  if (s == NULL) return 0;
  json_array_foreach(list, i, e)
    if (json_is_string(e) && strcmp(json_string_value(e), s) == 0) return 1;
  return 0;
}

/* Takes out of the column COLUMN of WHOLE its entries of the CHAIR_ONLY categories, adding their ids to GONE. */
static int drop_chair_only(json_t *whole, const char *column, const json_t *chair_only, json_t *gone) {
  json_t *entries = json_object_get(whole, column);
  for (size_t i = json_array_size(entries); i-- > 0;) {
    json_t *entry = json_array_get(entries, i);
    if (!listed(chair_only, json_string_value(json_object_get(entry, "category")))) continue;
    if (json_array_append(gone, json_object_get(entry, "id")) != 0 || json_array_remove(entries, i) != 0)
      return -1;
  }
  return 0;
}

/* Takes the ids in GONE out of each action's "worries" in WHOLE. */
static void unlink_gone(json_t *whole, const json_t *gone) {
  size_t i;
  json_t *action;
  json_array_foreach(json_object_get(whole, "actions"), i, action) {
    json_t *worries = json_object_get(action, "worries");
    for (size_t j = json_array_size(worries); j-- > 0;)
      if (listed(gone, json_string_value(json_array_get(worries, j)))) json_array_remove(worries, j);
  }
}

json_t *board_room_json_except(const model_conference *conf, const json_t *chair_only) {
  json_t *whole = model_to_json(conf), *room = json_object(), *gone = json_array();
  int failed = whole == NULL || room == NULL || gone == NULL;
  if (!failed && json_array_size(chair_only) > 0) {
    failed = drop_chair_only(whole, "worried", chair_only, gone) != 0 ||
             drop_chair_only(whole, "working_well", chair_only, gone) != 0;
    if (!failed) unlink_gone(whole, gone);
  }
  for (const char *const *k = room_keys; !failed && *k != NULL; k++)
    failed = json_object_set_new(room, *k, room_value(*k, json_object_get(whole, *k))) != 0;
  json_decref(whole);
  json_decref(gone);
  if (failed) {
    json_decref(room);
    return NULL;
  }
  return room;
}

json_t *board_room_json(const model_conference *conf) {
  return board_room_json_except(conf, NULL);
}

/* The raw string field NAME of the table at the top of L's stack, or NULL. */
static const char *raw_string(lua_State *L, const char *name) {
  lua_pushstring(L, name);
  lua_rawget(L, -2);
  const char *s = lua_type(L, -1) == LUA_TSTRING ? lua_tostring(L, -1) : NULL;
  lua_pop(L, 1);   /* the string stays alive: the table still holds it */
  return s;
}

json_t *board_sections(agenda *ag) {
  lua_State *L = sandbox_state(agenda_sandbox(ag));
  if (!lua_checkstack(L, 4)) return NULL;
  agenda_push(ag);
  lua_pushstring(L, "sections");
  lua_rawget(L, -2);
  json_t *out = lua_istable(L, -1) ? json_array() : NULL;
  for (lua_Integer i = 1; out != NULL && lua_rawgeti(L, -1, i) == LUA_TTABLE; i++) {
    const char *id = raw_string(L, "id"), *title = raw_string(L, "title");
    json_t *section = id != NULL ? json_pack("{s:s,s:s}", "id", id, "title",
                                             i18n_text(title != NULL ? title : id)) : NULL;
    lua_pop(L, 1);
    if (section == NULL || json_array_append_new(out, section) != 0) {
      json_decref(out);
      out = NULL;
    }
  }
  lua_pop(L, out != NULL ? 3 : 2);  /* the nil that ended the loop, the list, the agenda */
  return out;
}

json_t *board_chair_only(agenda *ag) {
  lua_State *L = sandbox_state(agenda_sandbox(ag));
  if (!lua_checkstack(L, 4)) return NULL;
  json_t *out = json_array();
  int top = lua_gettop(L);
  agenda_push(ag);
  lua_pushstring(L, "chair_only");
  if (lua_rawget(L, -2) == LUA_TTABLE) {
    lua_pushstring(L, "categories");
    /* The contract has checked the list; its end is the first value that is not a string. */
    if (lua_rawget(L, -2) == LUA_TTABLE)
      for (lua_Integer i = 1; out != NULL && lua_rawgeti(L, -1, i) == LUA_TSTRING; i++) {
        if (json_array_append_new(out, json_string(lua_tostring(L, -1))) != 0) {
          json_decref(out);
          out = NULL;
        }
        lua_pop(L, 1);
      }
  }
  lua_settop(L, top);
  return out;
}

/* }====== */

/* ** {====== The page ====== */

/*
** The stylesheet, served as /board.css so that the page's
** Content-Security-Policy can refuse every inline style: the page has no
** <style> element and no style attribute (the script places the scaling marks
** through the element's style object, which the policy does not govern).
*/
static const char page_style[] =
  "*{box-sizing:border-box}"
  "html{font-size:clamp(16px,1.6vw,30px)}"
  "body{margin:0;font-family:system-ui,'DejaVu Sans',sans-serif;line-height:1.35;"
  "background:#fff;color:#1b1b1b}"
  "header{display:flex;flex-wrap:wrap;gap:.5rem 1.5rem;align-items:baseline;padding:.5rem 1rem;"
  "background:#0b3d59;color:#fff}"
  "header h1{font-size:1.4rem;margin:0}header p{margin:0}"
  "button{font:inherit;margin-left:auto;padding:.2rem .7rem;border:2px solid #fff;"
  "background:transparent;color:inherit;border-radius:.3rem;cursor:pointer}"
  "button:focus-visible{outline:4px solid #ffbf47;outline-offset:2px}"
  "nav ol{display:flex;flex-wrap:wrap;gap:.3rem;list-style:none;margin:0;padding:.4rem 1rem;"
  "font-size:.8rem;background:#eef2f5}"
  "nav li{padding:.1rem .5rem;border:1px solid #8a99a6;border-radius:1rem}"
  "nav li[aria-current]{background:#0b3d59;color:#fff;font-weight:bold;border-color:#0b3d59}"
  "nav li[aria-current] .tag{color:inherit}"
  "main{padding:.5rem 1rem}"
  ".cols{display:grid;grid-template-columns:repeat(3,minmax(0,1fr)) minmax(0,.9fr);gap:.8rem}"
  ".side{display:flex;flex-direction:column;gap:.8rem}"
  "@media (max-width:1000px){.cols{grid-template-columns:repeat(3,minmax(0,1fr))}.side{grid-column:1/-1}}"
  "@media (max-width:700px){.cols{grid-template-columns:1fr}}"
  "section{border:3px solid #5b6770;border-radius:.4rem;padding:.3rem .8rem}"
  "section.current{border-color:#b35900;box-shadow:0 0 0 4px #ffbf47}"
  "h2{font-size:1.15rem;margin:.2rem 0 .4rem}h3{font-size:.95rem;margin:.6rem 0 .2rem}"
  "ul{margin:0;padding-left:1.2rem}li{margin:.25rem 0}"
  ".tag{font-size:.7rem;font-weight:bold;color:#3a4650;margin-right:.3rem}"
  ".meta{display:block;font-size:.7rem;color:#3a4650}"
  ".danger{border-left:6px solid #9e1b1b;padding-left:.4rem;list-style:none;margin-left:-1.2rem}"
  ".empty{color:#3a4650;font-style:italic;list-style:none;margin-left:-1.2rem}"
  "table{border-collapse:collapse;width:100%}th,td{text-align:left;padding:.2rem .3rem;"
  "vertical-align:middle;border-bottom:1px solid #c5ccd3}"
  ".line{position:relative;height:1.4rem;margin:0 .8rem;border-bottom:3px solid #1b1b1b}"
  ".mark{position:absolute;bottom:-.55rem;transform:translateX(-50%);min-width:1.6rem;"
  "text-align:center;font-weight:bold;font-size:.8rem;background:#0b3d59;color:#fff;"
  "border-radius:.8rem;padding:0 .3rem}"
  "#scores td:first-of-type{width:50%}#scores th,#scores td:last-child{font-size:.75rem;white-space:nowrap}"
  ".ends{display:flex;justify-content:space-between;font-size:.7rem;margin:0 .3rem}"
  "#status{font-size:.7rem;margin:.5rem 1rem}"
  ".closed{font-weight:bold;padding:.3rem 1rem;background:#fff4d6}"
  "body.hc{background:#000;color:#fff}body.hc header,body.hc nav ol{background:#000;color:#ff0}"
  "body.hc nav li{border-color:#fff}body.hc nav li[aria-current]{background:#ff0;color:#000}"
  "body.hc section{border-color:#fff}body.hc section.current{border-color:#ff0;box-shadow:0 0 0 4px #ff0}"
  "body.hc .tag,body.hc .meta,body.hc .empty{color:#ff0}body.hc .line{border-color:#fff}"
  "body.hc .mark{background:#ff0;color:#000}body.hc .closed{background:#000;color:#ff0}"
  "body.hc .danger{border-color:#ff0}body.hc th,body.hc td{border-color:#fff}";

/*
** The script, served as /board.js so that the page's Content-Security-Policy
** can refuse every inline script: renders the state into the page's empty
** lists with textContent only, then follows /events. L holds the catalogue's
** words, S the state the page was served with, both read from the page's
** JSON data blocks (which the policy lets be, being never run).
*/
static const char page_script[] =
  "(function(){'use strict';\n"
  "var q=location.search,hc=document.getElementById('hc'),shown=null;\n"
  "function $(id){return document.getElementById(id);}\n"
  "var L=JSON.parse($('words').textContent),S=JSON.parse($('state').textContent);\n"
  "function el(tag,text,cls){var e=document.createElement(tag);"
  "if(text!=null)e.textContent=text;if(cls)e.className=cls;return e;}\n"
  "function clear(e){while(e.firstChild)e.removeChild(e.firstChild);return e;}\n"
  "function entry(it,tag){var li=el('li');"
  "if(tag)li.appendChild(el('span',tag,'tag'));li.appendChild(document.createTextNode(it.text));"
  "var m=[];if(it.kind)m.push(it.kind);if(it.source)m.push(it.source);"
  "if(m.length)li.appendChild(el('span',m.join(', '),'meta'));return li;}\n"
  "function fill(id,items,make){var u=clear($(id));items.forEach(function(it){u.appendChild(make(it));});"
  "if(!items.length)u.appendChild(el('li',L.empty,'empty'));}\n"
  "function byCategory(it){return entry(it,it.category.replace(/_/g,' '));}\n"
  "function plan(p){return L['plan_'+p]||p;}\n"
  "function render(s){var c=s.conference;\n"
  "  var names=c.children.map(function(k){return k.name;}).join(', ');\n"
  "  $('what').textContent=[names,L[c.type]||c.type,c.date].filter(Boolean).join(' \\u00b7 ');\n"
  "  var nav=clear($('agenda'));s.sections.forEach(function(x){var li=el('li');\n"
  "    if(x.id===c.section){li.setAttribute('aria-current','step');li.appendChild(el('span',L.now+': ','tag'));}\n"
  "    li.appendChild(document.createTextNode(x.title));nav.appendChild(li);});\n"
  "  var cur=c.section||'';document.querySelectorAll('section[data-sections]').forEach(function(e){\n"
  "    var on=e.getAttribute('data-sections').split(' ').some(function(w){return w&&cur.indexOf(w)>=0;});\n"
  "    e.classList.toggle('current',on);if(on)e.setAttribute('aria-current','true');else e.removeAttribute('aria-current');\n"
  "    if(on&&cur!==shown&&e.scrollIntoView)e.scrollIntoView({block:'nearest'});});shown=cur;\n"
  "  var w=c.dangers.map(function(d){var li=entry(d,L.danger);li.className='danger';return li;});\n"
  "  fill('worried',c.dangers.concat(c.worried),function(it){return it.category?byCategory(it):w.shift();});\n"
  "  fill('working_well',c.working_well,byCategory);\n"
  "  fill('goals',c.goals,function(it){return entry(it,it.id);});\n"
  "  fill('actions',c.actions,function(a){var li=entry(a,a.id);li.appendChild(el('span',"
  "L.who+': '+a.owner+' \\u00b7 '+L.by+': '+a.due+' \\u00b7 '+L.for_worries+': '+a.worries.join(', '),'meta'));return li;});\n"
  "  fill('bottom_lines',c.bottom_lines,function(it){return entry(it,it.id);});\n"
  "  fill('rules',c.rules,function(it){return entry(it,it.id);});\n"
  "  var t=clear($('scores')),sc=c.scaling.participants.slice();if(c.scaling.iro){var i=Object.assign({},c.scaling.iro);i.who=L.iro;sc.push(i);}\n"
  "  sc.forEach(function(x){var tr=el('tr');tr.appendChild(el('th',x.who)).setAttribute('scope','row');\n"
  "    var td=el('td'),line=el('div',null,'line'),mk=el('span',String(x.score),'mark');mk.style.left=(x.score*10)+'%';\n"
  "    line.setAttribute('aria-hidden','true');line.appendChild(mk);td.appendChild(line);tr.appendChild(td);\n"
  "    var n=el('td',x.score+' / 10');tr.appendChild(n);t.appendChild(tr);});\n"
  "  $('noscores').hidden=sc.length>0;\n"
  "  var d=c.decision;$('decision').textContent=d?plan(d.plan)+(d.categories.length?' ('+d.categories.join(', ')+')':''):L.no_decision;\n"
  "  fill('recommendations',c.recommendations,function(r){return entry({text:r.who+': '+plan(r.plan),source:r.why});});\n"
  "  fill('core_group',c.core_group,function(n){return el('li',n);});\n"
  "  $('closed').hidden=!c.closed;}\n"
  "function contrast(on){document.body.classList.toggle('hc',on);hc.setAttribute('aria-pressed',on?'true':'false');"
  "try{localStorage.setItem('confer-hc',on?'1':'');}catch(e){}}\n"
  "hc.addEventListener('click',function(){contrast(!document.body.classList.contains('hc'));});\n"
  "try{contrast(localStorage.getItem('confer-hc')==='1');}catch(e){}\n"
  "render(S);\n"
  "if(window.EventSource){var es=new EventSource('events'+q);\n"
  "  es.addEventListener('state',function(e){render(JSON.parse(e.data));$('status').textContent=L.live;});\n"
  "  es.onerror=function(){$('status').textContent=L.reconnecting;};}\n"
  "})();\n";

/* The catalogue keys the script reads, by the name it reads them under. */
static const char *const script_words[][2] = {
  {"empty", "board.empty"}, {"initial", "board.initial"}, {"review", "board.review"},
  {"now", "board.now"}, {"danger", "board.danger"}, {"who", "board.who"}, {"by", "board.by"},
  {"for_worries", "board.for_worries"}, {"iro", "board.iro"}, {"no_decision", "board.no_decision"},
  {"plan_cp", "board.plan.cp"}, {"plan_cin", "board.plan.cin"}, {"plan_none", "board.plan.none"},
  {"live", "board.live"}, {"reconnecting", "board.reconnecting"}};

/*
** JSON TEXT (freed) with each "<" written \u003c, as a new malloc'd text or
** NULL: a recorded "<!--<script>" would otherwise put the page's data block
** in the HTML parser's "double escaped" state, where its own </script> no
** longer ends it and the board never draws. In JSON a "<" can only be in a
** string.
*/
static char *escape_less_than(char *text) {
  size_t n = 0, len = strlen(text);
  for (const char *p = text; (p = strchr(p, '<')) != NULL; p++) n++;
  char *out = n == 0 ? text : malloc(len + 5 * n + 1);
  if (out == NULL || out == text) {
    if (out == NULL) free(text);
    return out;
  }
  char *w = out;
  for (const char *p = text; *p; p++) {
    if (*p == '<') {
      memcpy(w, "\\u003c", 6);
      w += 6;
    } else {
      *w++ = *p;
    }
  }
  *w = '\0';
  free(text);
  return out;
}

/* The catalogue's words of script_words as compact JSON for a data block; NULL when out of memory. */
static char *words_text(void) {
  json_t *words = json_object();
  for (size_t i = 0; words != NULL && i < sizeof script_words / sizeof script_words[0]; i++)
    if (json_object_set_new(words, script_words[i][0], json_string(_(script_words[i][1]))) != 0) {
      json_decref(words);
      words = NULL;
    }
  char *text = words != NULL ? json_dumps(words, JSON_COMPACT | JSON_ESCAPE_SLASH) : NULL;
  json_decref(words);
  return text != NULL ? escape_less_than(text) : NULL;
}

/* The page's lang attribute: "en_GB" -> "en-GB". */
static void page_language(char *buf, size_t len) {
  snprintf(buf, len, "%s", i18n_language());
  for (char *p = buf; *p != '\0'; p++)
    if (*p == '_') *p = '-';
}

/* Writes TEXT with &, <, >, " escaped for HTML. */
static void put_html(FILE *out, const char *text) {
  for (; *text != '\0'; text++) {
    switch (*text) {
    case '&': fputs("&amp;", out); break;
    case '<': fputs("&lt;", out); break;
    case '>': fputs("&gt;", out); break;
    case '"': fputs("&quot;", out); break;
    default: fputc(*text, out);
    }
  }
}

/* A section of the page: heading from KEY, an empty list ID, highlighted while SECTIONS is current. */
static void page_list(FILE *out, const char *tag, const char *key, const char *id) {
  fprintf(out, "<%s>", tag);
  put_html(out, _(key));
  fprintf(out, "</%s><ul id=\"%s\"></ul>", tag, id);
}

/*
** The page up to its stylesheet's address, which page_now() ends with the
** token; built once. NULL when out of memory.
*/
static char *build_head(void) {
  char *text = NULL, lang[32];
  size_t size = 0;
  FILE *out = open_memstream(&text, &size);
  if (out == NULL) return NULL;
  page_language(lang, sizeof lang);
  fprintf(out, "<!DOCTYPE html><html lang=\"%s\"><head><meta charset=\"utf-8\">"
          "<meta name=\"viewport\" content=\"width=device-width,initial-scale=1\"><title>", lang);
  put_html(out, _("board.title"));
  fputs("</title><link rel=\"stylesheet\" href=\"board.css", out);
  if (fclose(out) != 0) {
    free(text);
    return NULL;
  }
  return text;
}

/*
** The body of the page up to its state's data block: everything but the
** state (and the token in the stylesheet's and the script's addresses) is
** fixed for the life of the board, so it is built once.
*/
static char *build_page(void) {
  char *text = NULL;
  size_t size = 0;
  FILE *out = open_memstream(&text, &size);
  if (out == NULL) return NULL;
  fputs("</head><body><header><h1>", out);
  put_html(out, _("board.title"));
  fputs("</h1><p id=\"what\"></p><button id=\"hc\" type=\"button\" aria-pressed=\"false\">", out);
  put_html(out, _("board.contrast"));
  fputs("</button></header><nav aria-label=\"", out);
  put_html(out, _("board.agenda"));
  fputs("\"><ol id=\"agenda\"></ol></nav><p id=\"closed\" class=\"closed\" hidden>", out);
  put_html(out, _("board.closed"));
  fputs("</p><main><div class=\"cols\">"
        "<section data-sections=\"harm danger worr mapping complicat what_got\">", out);
  page_list(out, "h2", "board.worried", "worried");
  fputs("</section><section data-sections=\"strength working_well mapping safety_exist\">", out);
  page_list(out, "h2", "board.working_well", "working_well");
  fputs("</section><section data-sections=\"goal need plan action bottom rule\"><h2>", out);
  put_html(out, _("board.needs"));
  fputs("</h2>", out);
  page_list(out, "h3", "board.goals", "goals");
  page_list(out, "h3", "board.actions", "actions");
  page_list(out, "h3", "board.bottom_lines", "bottom_lines");
  page_list(out, "h3", "board.rules", "rules");
  fputs("</section><div class=\"side\"><section data-sections=\"scal\"><h2 id=\"scaling-h\">", out);
  put_html(out, _("board.scaling"));
  fputs("</h2><div class=\"ends\" aria-hidden=\"true\"><span>0</span><span>10</span></div>"
        "<table aria-labelledby=\"scaling-h\"><caption class=\"meta\">", out);
  put_html(out, _("board.scaling_help"));
  fputs("</caption><tbody id=\"scores\"></tbody></table><p id=\"noscores\" class=\"empty\">", out);
  put_html(out, _("board.empty"));
  fputs("</p></section><section data-sections=\"decision recommend core close\"><h2>", out);
  put_html(out, _("board.decision"));
  fputs("</h2><p id=\"decision\"></p>", out);
  page_list(out, "h3", "board.recommendations", "recommendations");
  page_list(out, "h3", "board.core_group", "core_group");
  fputs("</section></div></div></main><p id=\"status\" role=\"status\" aria-live=\"polite\"></p>"
        "<script id=\"words\" type=\"application/json\">", out);
  char *words = words_text();
  if (words != NULL) fputs(words, out);
  free(words);
  fputs("</script><script id=\"state\" type=\"application/json\">", out);
  if (fclose(out) != 0 || words == NULL) {
    free(text);
    return NULL;
  }
  return text;
}

/* }====== */

/* ** {====== Publishing ====== */

/* The state text for CONF: {"conference": room view, "sections": [...]}; NULL on OOM. */
static char *state_text(const board *b, const model_conference *conf) {
  json_t *state = json_pack("{s:o,s:O}", "conference", board_room_json_except(conf, b->chair_only),
                            "sections", b->sections);
  if (state == NULL) return NULL;
  /* Escaped slashes keep "</script>" out of the page; the text has no newline, as SSE needs. */
  char *text = json_dumps(state, JSON_COMPACT | JSON_ESCAPE_SLASH);
  json_decref(state);
  return text != NULL ? escape_less_than(text) : NULL;
}

int board_publish(board *b, const model_conference *conf) {
  char *text = state_text(b, conf);
  if (text == NULL) return -1;
  pthread_mutex_lock(&b->lock);
  char *old = b->state;
  b->state = text;
  b->version++;
  pthread_cond_broadcast(&b->changed);
  pthread_mutex_unlock(&b->lock);
  free(old);
  return 0;
}

/* A new random token into B (under its lock). */
static void make_token(board *b) {
  unsigned char raw[BOARD_TOKEN_LEN / 2];
  randombytes_buf(raw, sizeof raw);
  sodium_bin2hex(b->token, sizeof b->token, raw, sizeof raw);
  b->token_generation++;
}

void board_new_token(board *b) {
  pthread_mutex_lock(&b->lock);
  make_token(b);
  pthread_cond_broadcast(&b->changed);   /* streams opened with the old token end */
  pthread_mutex_unlock(&b->lock);
}

const char *board_url(board *b, char *buf, size_t len) {
  pthread_mutex_lock(&b->lock);
  if (b->with_token)
    snprintf(buf, len, "http://%s:%u/?token=%s", b->address, b->port, b->token);
  else
    snprintf(buf, len, "http://%s:%u/", b->address, b->port);
  pthread_mutex_unlock(&b->lock);
  return buf;
}

unsigned board_port(const board *b) { return b->port; }

/* }====== */

/* ** {====== Serving ====== */

/* One event stream: what it has sent and what is still to send. */
typedef struct stream {
  board *b;
  unsigned long version, token_generation;
  char *pending;
  size_t len, sent;
} stream;

/* 1 while a stream opened under TOKEN_GENERATION may go on (under the lock). */
static int stream_allowed(const board *b, unsigned long token_generation) {
  return !b->stopping && (!b->with_token || b->token_generation == token_generation);
}

/* Waits (under the lock) for a new state, the keep-alive time, a new token or stop. */
static void wait_for_change(board *b, const stream *s) {
  struct timespec until;
  clock_gettime(CLOCK_MONOTONIC, &until);
  until.tv_sec += KEEPALIVE_SECONDS;
  while (stream_allowed(b, s->token_generation) && b->version == s->version)
    if (pthread_cond_timedwait(&b->changed, &b->lock, &until) == ETIMEDOUT) break;
}

/* The next message of stream S into s->pending: 1, or 0 at its end, or -1 out of memory. */
static int next_message(stream *s) {
  board *b = s->b;
  free(s->pending);
  s->pending = NULL;
  s->sent = 0;
  pthread_mutex_lock(&b->lock);
  wait_for_change(b, s);
  int status = 1;
  if (!stream_allowed(b, s->token_generation)) {
    status = 0;
  } else if (b->version == s->version) {
    s->pending = strdup(": keep-alive\n\n");
  } else {
    size_t size = strlen(b->state) + 64;
    s->pending = malloc(size);
    if (s->pending != NULL)
      snprintf(s->pending, size, "id: %lu\nevent: state\ndata: %s\n\n", b->version, b->state);
    s->version = b->version;
  }
  pthread_mutex_unlock(&b->lock);
  if (status == 1 && s->pending == NULL) return -1;
  s->len = s->pending != NULL ? strlen(s->pending) : 0;
  return status;
}

static ssize_t stream_read(void *cls, uint64_t pos, char *buf, size_t max) {
  (void)pos;
  stream *s = cls;
  if (s->sent == s->len) {
    int status = next_message(s);
    if (status == 0) return MHD_CONTENT_READER_END_OF_STREAM;
    if (status < 0) return MHD_CONTENT_READER_END_WITH_ERROR;
  }
  size_t n = s->len - s->sent < max ? s->len - s->sent : max;
  memcpy(buf, s->pending + s->sent, n);
  s->sent += n;
  return (ssize_t)n;
}

static void stream_free(void *cls) {
  stream *s = cls;
  free(s->pending);
  free(s);
}

/* Queues a response with STATUS, TYPE and the headers every answer carries. */
static enum MHD_Result send_response(struct MHD_Connection *c, unsigned status,
                                     struct MHD_Response *r, const char *type) {
  if (r == NULL) return MHD_NO;
  enum MHD_Result ok = MHD_YES;
  if (mhd.MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE, type) != MHD_YES ||
      mhd.MHD_add_response_header(r, MHD_HTTP_HEADER_CACHE_CONTROL, "no-store") != MHD_YES ||
      mhd.MHD_add_response_header(r, "X-Content-Type-Options", "nosniff") != MHD_YES ||
      /* The token is in the address: never pass it on to another site. */
      mhd.MHD_add_response_header(r, "Referrer-Policy", "no-referrer") != MHD_YES ||
      mhd.MHD_add_response_header(r, "Content-Security-Policy",
                              "default-src 'none'; style-src 'self'; "
                              "script-src 'self'; connect-src 'self'; "
                              "frame-ancestors 'none'") != MHD_YES)
    ok = MHD_NO;
  if (ok == MHD_YES && status == MHD_HTTP_METHOD_NOT_ALLOWED)
    ok = mhd.MHD_add_response_header(r, MHD_HTTP_HEADER_ALLOW, "GET, HEAD");
  if (ok == MHD_YES) ok = mhd.MHD_queue_response(c, status, r);
  mhd.MHD_destroy_response(r);
  return ok;
}

/* A short answer (errors): TEXT, from the catalogue, as one line. */
static enum MHD_Result send_text(struct MHD_Connection *c, unsigned status, const char *text) {
  char line[256];   /* the catalogue's texts for the board's answers are short lines */
  int n = snprintf(line, sizeof line, "%s\n", text);
  size_t len = n < 0 ? 0 : (size_t)n < sizeof line ? (size_t)n : sizeof line - 1;
  struct MHD_Response *r = mhd.MHD_create_response_from_buffer(len, line, MHD_RESPMEM_MUST_COPY);
  return send_response(c, status, r, "text/plain; charset=utf-8");
}

/* An answer of the static TEXT, which outlives the board. */
static enum MHD_Result send_static(struct MHD_Connection *c, const char *text, size_t len,
                                   const char *type) {
  struct MHD_Response *r = mhd.MHD_create_response_from_buffer(len, (void *)text,
                                                           MHD_RESPMEM_PERSISTENT);
  return send_response(c, MHD_HTTP_OK, r, type);
}

/* An answer that owns the malloc'd TEXT. */
static enum MHD_Result send_owned(struct MHD_Connection *c, char *text, const char *type) {
  if (text == NULL)
    return send_text(c, MHD_HTTP_INTERNAL_SERVER_ERROR, _("board.http.out_of_memory"));
  struct MHD_Response *r = mhd.MHD_create_response_from_buffer(strlen(text), text,
                                                           MHD_RESPMEM_MUST_FREE);
  if (r == NULL) free(text);
  return send_response(c, MHD_HTTP_OK, r, type);
}

/*
** The page with the current state in it (a malloc'd copy made under the
** lock). Its stylesheet's and its script's addresses carry the token, as
** every request must.
*/
static char *page_now(board *b) {
  pthread_mutex_lock(&b->lock);
  const char *query = b->with_token ? "?token=" : "", *token = b->with_token ? b->token : "";
  size_t size = strlen(b->page_head) + strlen(b->page) + strlen(b->state) + 2 * sizeof b->token + 128;
  char *text = malloc(size);
  if (text != NULL)
    snprintf(text, size, "%s%s%s\">%s%s</script><script src=\"board.js%s%s\"></script></body></html>\n",
             b->page_head, query, token, b->page, b->state, query, token);
  pthread_mutex_unlock(&b->lock);
  return text;
}

static char *state_now(board *b) {
  pthread_mutex_lock(&b->lock);
  char *text = strdup(b->state);
  pthread_mutex_unlock(&b->lock);
  return text;
}

/* The event stream of a request that token_ok let in under TOKEN_GENERATION. */
static enum MHD_Result send_stream(struct MHD_Connection *c, board *b, unsigned long token_generation) {
  stream *s = calloc(1, sizeof *s);
  if (s == NULL) return send_text(c, MHD_HTTP_INTERNAL_SERVER_ERROR, _("board.http.out_of_memory"));
  s->b = b;
  s->token_generation = token_generation;
  /* Version 0 is older than any state: the stream starts with the whole current state. */
  struct MHD_Response *r = mhd.MHD_create_response_from_callback(MHD_SIZE_UNKNOWN, 16 * 1024,
                                                             stream_read, s, stream_free);
  if (r == NULL) {
    free(s);
    return MHD_NO;
  }
  return send_response(c, MHD_HTTP_OK, r, "text/event-stream; charset=utf-8");
}

/*
** 1 when the request carries the board's current token (or none is needed),
** with *GENERATION the token's generation it was checked against: a stream
** takes that one, not a later one read after a new token has replaced it.
*/
static int token_ok(board *b, struct MHD_Connection *c, unsigned long *generation) {
  const char *given = mhd.MHD_lookup_connection_value(c, MHD_GET_ARGUMENT_KIND, "token");
  pthread_mutex_lock(&b->lock);
  int ok = !b->with_token ||
           (given != NULL && strlen(given) == BOARD_TOKEN_LEN &&
            sodium_memcmp(given, b->token, BOARD_TOKEN_LEN) == 0);
  *generation = b->token_generation;
  pthread_mutex_unlock(&b->lock);
  return ok;
}

/*
** 1 when the request names B as it was printed, or B has a token. A board
** without one listens on this computer only, yet a page the chair has open at
** another site can point a name of its own at 127.0.0.1 (DNS rebinding) and
** read the answer as its own: its requests carry that name as Host. A request
** without Host (HTTP/1.0) names no other site.
*/
static int host_ok(const board *b, struct MHD_Connection *c) {
  if (b->with_token) return 1;
  const char *host = mhd.MHD_lookup_connection_value(c, MHD_HEADER_KIND, MHD_HTTP_HEADER_HOST);
  if (host == NULL) return 1;
  const char *colon = strrchr(host, ':');
  size_t len = colon != NULL ? (size_t)(colon - host) : strlen(host);
  return (len == strlen(b->address) && strncmp(host, b->address, len) == 0) ||
         (len == strlen("localhost") && strncasecmp(host, "localhost", len) == 0);
}

/*
** MHD's decoding of the path and of each query argument, except that a text
** holding "%00" is left as it came. Decoded, the zero byte would end the C
** string there: "/state%00" would be served as "/state" and a token followed
** by "%00junk" taken for the token. Left encoded, the path is none the board
** serves (404) and the token is not the token (403).
*/
static size_t unescape_without_zero(void *cls, struct MHD_Connection *c, char *text) {
  (void)cls;
  (void)c;
  if (strstr(text, "%00") != NULL) return strlen(text);
  return mhd.MHD_http_unescape(text);
}

/* Takes the connection C off the watchdog's deadline: its request is complete. */
static void mark_answered(board *b, struct MHD_Connection *c) {
  const union MHD_ConnectionInfo *info =
    mhd.MHD_get_connection_info(c, MHD_CONNECTION_INFO_SOCKET_CONTEXT);
  pending *p = info != NULL ? info->socket_context : NULL;
  if (p == NULL) return;
  pthread_mutex_lock(&b->lock);
  p->answered = 1;
  pthread_mutex_unlock(&b->lock);
}

/* The IPv4 address of C's client, or 0.0.0.0 when MHD does not say (the board listens on IPv4 only). */
static struct in_addr client_address(struct MHD_Connection *c) {
  const union MHD_ConnectionInfo *info =
    mhd.MHD_get_connection_info(c, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
  struct in_addr none = {0};
  if (info == NULL || info->client_addr == NULL || info->client_addr->sa_family != AF_INET)
    return none;
  return ((const struct sockaddr_in *)(const void *)info->client_addr)->sin_addr;
}

/*
** MHD's accept policy: a shared board refuses a new connection from an
** address that already has WAITING_PER_ADDRESS connections yet to finish
** their request. Viewers may be many behind one address (a remote desktop
** server, the authority's proxy), each keeping its stream open, so how
** many connections one address holds is not limited. But a browser asks as
** soon as it connects: only a client holding connections without asking
** (slowloris) has that many waiting, and it can no longer take more than a
** quarter of the slots from the room. A board without a token is on this
** computer only: its clients all share 127.0.0.1, and the watchdog alone
** frees their slots.
*/
static enum MHD_Result accept_connection(void *cls, const struct sockaddr *addr, socklen_t len) {
  board *b = cls;
  if (!b->with_token || addr == NULL || addr->sa_family != AF_INET ||
      len < (socklen_t)sizeof(struct sockaddr_in))
    return MHD_YES;
  struct in_addr from = ((const struct sockaddr_in *)(const void *)addr)->sin_addr;
  int waiting = 0;
  pthread_mutex_lock(&b->lock);
  for (const pending *p = b->connections; p != NULL; p = p->next)
    waiting += !p->answered && p->from.s_addr == from.s_addr;
  pthread_mutex_unlock(&b->lock);
  return waiting < WAITING_PER_ADDRESS ? MHD_YES : MHD_NO;
}

/* MHD's notice of a connection starting or closing: lists or unlists it. */
static void connection_event(void *cls, struct MHD_Connection *c, void **context,
                             enum MHD_ConnectionNotificationCode event) {
  board *b = cls;
  pending *p = *context;
  if (event == MHD_CONNECTION_NOTIFY_STARTED) {
    const union MHD_ConnectionInfo *info =
      mhd.MHD_get_connection_info(c, MHD_CONNECTION_INFO_CONNECTION_FD);
    p = info != NULL ? calloc(1, sizeof *p) : NULL;
    if (p == NULL) return;   /* unlisted: the idle timeout still ends it */
    p->fd = info->connect_fd;
    p->from = client_address(c);
    clock_gettime(CLOCK_MONOTONIC, &p->since);
    pthread_mutex_lock(&b->lock);
    p->next = b->connections;
    if (b->connections != NULL) b->connections->prev = p;
    b->connections = p;
    pthread_mutex_unlock(&b->lock);
    *context = p;
  } else if (p != NULL) {
    pthread_mutex_lock(&b->lock);
    if (p->prev != NULL) p->prev->next = p->next;
    else b->connections = p->next;
    if (p->next != NULL) p->next->prev = p->prev;
    pthread_mutex_unlock(&b->lock);
    free(p);
    *context = NULL;
  }
}

/* Once a second until stop: shuts down each connection past its request deadline. */
static void *watchdog(void *cls) {
  board *b = cls;
  pthread_mutex_lock(&b->lock);
  while (!b->stopping) {
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    for (pending *p = b->connections; p != NULL; p = p->next)
      if (!p->answered && now.tv_sec - p->since.tv_sec >= REQUEST_SECONDS) {
        shutdown(p->fd, SHUT_RDWR);   /* its thread reads the end and MHD closes it */
        p->answered = 1;
      }
    struct timespec until = now;
    until.tv_sec += 1;
    pthread_cond_timedwait(&b->changed, &b->lock, &until);
  }
  pthread_mutex_unlock(&b->lock);
  return NULL;
}

static enum MHD_Result handle(void *cls, struct MHD_Connection *c, const char *url,
                              const char *method, const char *version, const char *upload,
                              size_t *upload_size, void **request) {
  (void)version;
  (void)upload;
  (void)upload_size;
  (void)request;
  board *b = cls;
  unsigned long generation;
  mark_answered(b, c);
  if (!host_ok(b, c)) return send_text(c, MHD_HTTP_FORBIDDEN, _("board.http.wrong_host"));
  if (!token_ok(b, c, &generation)) return send_text(c, MHD_HTTP_FORBIDDEN, _("board.http.forbidden"));
  if (strcmp(method, MHD_HTTP_METHOD_GET) != 0 && strcmp(method, MHD_HTTP_METHOD_HEAD) != 0)
    return send_text(c, MHD_HTTP_METHOD_NOT_ALLOWED, _("board.http.read_only"));
  if (strcmp(url, "/") == 0) return send_owned(c, page_now(b), "text/html; charset=utf-8");
  if (strcmp(url, "/board.css") == 0)
    return send_static(c, page_style, sizeof page_style - 1, "text/css; charset=utf-8");
  if (strcmp(url, "/board.js") == 0)
    return send_static(c, page_script, sizeof page_script - 1, "text/javascript; charset=utf-8");
  if (strcmp(url, "/state") == 0) return send_owned(c, state_now(b), "application/json");
  if (strcmp(url, "/events") == 0) return send_stream(c, b, generation);
  return send_text(c, MHD_HTTP_NOT_FOUND, _("board.http.not_found"));
}

/* }====== */

/* Initialises B's lock and a monotonic condition variable; -1 on failure. */
static int init_sync(board *b) {
  pthread_condattr_t attr;
  if (pthread_condattr_init(&attr) != 0) return -1;
  int rc = pthread_condattr_setclock(&attr, CLOCK_MONOTONIC) != 0 ||
           pthread_cond_init(&b->changed, &attr) != 0;
  pthread_condattr_destroy(&attr);
  if (rc) return -1;
  if (pthread_mutex_init(&b->lock, NULL) != 0) {
    pthread_cond_destroy(&b->changed);
    return -1;
  }
  return 0;
}

/* Frees what board_start made before the daemon. */
static void board_free(board *b) {
  free(b->state);
  free(b->page_head);
  free(b->page);
  json_decref(b->sections);
  json_decref(b->chair_only);
  pthread_cond_destroy(&b->changed);
  pthread_mutex_destroy(&b->lock);
  free(b);
}

board *board_start(const char *address, unsigned port, int with_token,
                   const model_conference *conf, const json_t *sections,
                   const json_t *chair_only, char *err, size_t errlen) {
  struct sockaddr_in sa;
  memset(&sa, 0, sizeof sa);
  sa.sin_family = AF_INET;
  sa.sin_port = htons((uint16_t)port);
  if (port > 65535 || inet_pton(AF_INET, address, &sa.sin_addr) != 1) {
    snprintf(err, errlen, _("board.bad_address"),
             address, port);
    return NULL;
  }
  if (sodium_init() < 0) {
    snprintf(err, errlen, "%s", _("board.no_libsodium"));
    return NULL;
  }
  if (mhd_load(err, errlen) != 0) return NULL;
  board *b = calloc(1, sizeof *b);
  if (b == NULL || init_sync(b) != 0) {
    free(b);
    snprintf(err, errlen, "%s", _("board.out_of_memory"));
    return NULL;
  }
  b->with_token = with_token;
  snprintf(b->address, sizeof b->address, "%s", address);
  make_token(b);
  b->sections = sections != NULL ? json_deep_copy(sections) : json_array();
  b->chair_only = chair_only != NULL ? json_deep_copy(chair_only) : NULL;   /* none: fail closed */
  b->page_head = build_head();
  b->page = build_page();
  b->state = b->sections != NULL && b->chair_only != NULL ? state_text(b, conf) : NULL;
  b->version = 1;   /* newer than the 0 a new stream starts from: it gets this state first */
  if (b->page_head == NULL || b->page == NULL || b->state == NULL) {
    board_free(b);
    snprintf(err, errlen, "%s", _("board.out_of_memory"));
    return NULL;
  }
  b->daemon = mhd.MHD_start_daemon(
    MHD_USE_THREAD_PER_CONNECTION | MHD_USE_INTERNAL_POLLING_THREAD, (uint16_t)port,
    accept_connection, b, handle, b, MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&sa,
    MHD_OPTION_CONNECTION_LIMIT, (unsigned)BOARD_MAX_CONNECTIONS,
    MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)IDLE_TIMEOUT_SECONDS,
    MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)64 * 1024,
    MHD_OPTION_NOTIFY_CONNECTION, connection_event, b,
    MHD_OPTION_UNESCAPE_CALLBACK, unescape_without_zero, NULL, MHD_OPTION_END);
  if (b->daemon == NULL) {
    int saved = errno;
    board_free(b);
    snprintf(err, errlen, _("board.cannot_listen"), address, port,
             saved != 0 ? strerror(saved) : _("board.refused"));
    return NULL;
  }
  const union MHD_DaemonInfo *info = mhd.MHD_get_daemon_info(b->daemon, MHD_DAEMON_INFO_BIND_PORT);
  b->port = info != NULL && info->port != 0 ? info->port : port;
  b->watchdog_started = pthread_create(&b->watchdog, NULL, watchdog, b) == 0;
  if (!b->watchdog_started) {
    board_stop(b);
    snprintf(err, errlen, "%s", _("board.out_of_memory"));
    return NULL;
  }
  return b;
}

void board_stop(board *b) {
  if (b == NULL) return;
  pthread_mutex_lock(&b->lock);
  b->stopping = 1;
  pthread_cond_broadcast(&b->changed);
  pthread_mutex_unlock(&b->lock);
  if (b->watchdog_started) pthread_join(b->watchdog, NULL);
  mhd.MHD_stop_daemon(b->daemon);   /* joins every connection's thread */
  board_free(b);
}
