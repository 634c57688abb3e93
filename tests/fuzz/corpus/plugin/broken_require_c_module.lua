-- expect: require_c_module.lua:3: module 'socket.core' not found in the plugin path:
-- require finds only NAME.lua files in the plugin path, never C modules.
local socket = require("socket.core")
