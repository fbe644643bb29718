-- magnet.attract-raw-url-to: runs before mod_auth, because a CORS preflight carries no
-- credentials; and mod_webdav's own OPTIONS answer never ends its chunked body.
local r = lighty.r
if r.req_attr["request.method"] ~= "OPTIONS" then
  return 0
end
local h = r.resp_header
h["Access-Control-Allow-Methods"] = "GET, HEAD, PUT, DELETE, OPTIONS, PROPFIND, MKCOL, COPY, MOVE"
h["Access-Control-Allow-Headers"] =
  "Authorization, Content-Type, Depth, Destination, Overwrite, If-Match, If-None-Match, Idempotency-Key"
h["Access-Control-Expose-Headers"] = "ETag, Location, Last-Modified, DAV, Content-Length"
h["Access-Control-Max-Age"] = "600"
h["DAV"] = "1, 2"
h["Allow"] = "GET, HEAD, PUT, DELETE, OPTIONS, PROPFIND, MKCOL, COPY, MOVE"
return 204
