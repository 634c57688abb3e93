#!/bin/sh
# test_locales_plugin_host_keys.sh — a plugin directory's catalogue adds words,
# never replaces the host's (i18n.h), in the chosen language too. The shipped
# Welsh catalogues cover only part of the host's keys; a key they lack fell
# back to a plugin's Welsh catalogue before en_GB, so a plugin could put its
# own printf conversions into a host message ("%d %s ..." for "unknown command
# '%s'") and crash confer. Its words for its own keys are still used.
set -u
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
. "$CONFER_SOURCE/tests/cli/lib.sh"
unset LC_ALL LC_MESSAGES
export LANG=C CONFER_LANG=cy CONFER_PLUGIN_PATH="$tmp/plugins" CONFER_DB="$tmp/confer.db"
mkdir -p "$tmp/plugins/locales/en_GB" "$tmp/plugins/locales/cy"
header='msgid ""
msgstr ""
"Content-Type: text/plain; charset=UTF-8\n"
"Plural-Forms: nplurals=2; plural=(n != 1);\n"
'
printf '%s\nmsgid "example.greeting"\nmsgstr "Hello Example"\n' "$header" \
  >"$tmp/plugins/locales/en_GB/example.po"
printf '%s\nmsgid "cli.unknown_command"\nmsgstr "gorchymyn %%d %%s %%s %%s %%s"\n\nmsgid "example.greeting"\nmsgstr "Helo Example"\n' \
  "$header" >"$tmp/plugins/locales/cy/example.po"
expect "a host message keeps the host's text" 2 "confer: unknown command 'nosuch'
usage: confer [--lang L] COMMAND [OPTIONS] [ARGS]
       confer help [COMMAND] | confer --version" "$CONFER" nosuch
printf 'print(confer.text("example.greeting"))\n' >"$tmp/greet.lua"
expect "the plugin's own key in Welsh" 0 "Helo Example" "$CONFER" lua "$tmp/greet.lua"
finish
