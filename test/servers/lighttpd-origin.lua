-- magnet.attract-response-start-to: runs on every answer, 401s and preflights included, and
-- echoes the request's Origin, which mod_setenv cannot do.
local r = lighty.r
local origin = r.req_header["Origin"]
if origin then
  r.resp_header["Access-Control-Allow-Origin"] = origin
  r.resp_header["Vary"] = "Origin"
end
return 0
