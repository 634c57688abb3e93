-- expect: package_loadlib.lua:3: attempt to index a nil value (global 'package')
-- Loading a C library would run native code.
local system = package.loadlib("libc.so.6", "system")
