-- expect: dofile_escape.lua:3: attempt to call a nil value (global 'dofile')
-- dofile would read any file and run it outside the sandbox's loader.
dofile("/etc/passwd")
