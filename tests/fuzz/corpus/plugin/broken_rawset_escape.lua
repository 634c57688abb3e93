-- expect: rawset_escape.lua:3: attempt to call a nil value (global 'rawset')
-- rawset would get round read-only proxies.
rawset(_ENV, "print", nil)
