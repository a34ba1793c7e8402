-- The gateway's side of access.yaml (mcpgw compile --auth), run by nginx's Lua module.
--
-- The runtime decides; this code carries each MCP request to it and applies the answer:
--   access()        asks POST /auth/check with the request's JSON-RPC body (so tools/call is checked by tool
--                   name, and Mcp-Method / Mcp-Name against the body), and either lets the request through
--                   with the caller's identity or answers the runtime's 400/401/403 itself;
--   header_filter() and body_filter() remove from tools/list results (JSON, or SSE events on either
--                   transport) the tools a restricted caller may not call. Allowed tools keep their
--                   upstream bytes: results are spliced, never decoded and re-encoded.
-- Sessions belong to the caller that opened them: every session id handed out (Mcp-Session-Id, the query of an
-- SSE server's message endpoint) carries a tag, an HMAC under a key the runtime derives for this caller and
-- server; a session presented without this caller's tag is "not found" (404), and the tag never goes upstream.
-- Whatever cannot be parsed fails closed.

local M = {}

local byte, char, find, sub = string.byte, string.char, string.find, string.sub
local concat = table.concat

-- An answer held whole in memory (a JSON body, or one SSE event) may not grow past this.
local MAX_HELD = 8 * 1024 * 1024

local FILTER_FAILED = '{"jsonrpc":"2.0","id":null,"error":{"code":-32603,'
    .. '"message":"The gateway could not check this answer against access.yaml."}}'

local SESSION_NOT_FOUND = '{"jsonrpc":"2.0","id":null,"error":{"code":-32001,"message":'
    .. '"Session not found: it was opened by another caller, or has ended. Start a new one."}}'

-- The tag that binds value (a session id, an endpoint's query) to the key's caller and server.
local function session_tag(key, value)
    local mac = ngx.encode_base64(ngx.hmac_sha1(key, value), true)
    return (string.gsub(sub(mac, 1, 22), "[+/]", { ["+"] = "-", ["/"] = "_" }))
end

-- What a tag binds of an SSE message endpoint: its last path segment and its query (a session id travels in
-- one or the other), the same whether the server wrote it under its own base path or the gateway's prefix.
local function endpoint_key(path, query)
    return "sse:" .. (string.match(path, "([^/]*)$") or "") .. "?" .. query
end

local function answer(status, body, challenge)
    ngx.status = status
    ngx.header["Content-Type"] = "application/json"
    if challenge then
        ngx.header["WWW-Authenticate"] = challenge
    end
    ngx.print(body)
    return ngx.exit(ngx.HTTP_OK)
end

function M.access()
    local body = ""
    if ngx.var.http_content_length or ngx.var.http_transfer_encoding then
        -- client_body_buffer_size equals client_max_body_size here, so a body is never left in a file.
        ngx.req.read_body()
        body = ngx.req.get_body_data()
        if not body and ngx.req.get_body_file() then
            ngx.log(ngx.ERR, "mcpgw: a request body went to a file, so it cannot be checked; refused")
            return answer(500, '{"error":"internal","message":"The gateway could not check the request body."}')
        end
        body = body or ""
    end
    -- Whether the request carries anything (some clients send "Content-Length: 0" on a GET).
    local has_body = #body > 0
    local check = ngx.location.capture("/.mcpgw/auth", { method = ngx.HTTP_POST, body = body })
    local status = check.status
    if status == 200 then
        ngx.var.mcpgw_user = check.header["X-Mcpgw-User"] or ""
        ngx.var.mcpgw_groups = check.header["X-Mcpgw-Groups"] or ""
        -- For a server that asks for the caller's token: one bound to that server, never the caller's own.
        ngx.var.mcpgw_forwarded = check.header["X-Mcpgw-Forward-Authorization"] or ""
        local key = check.header["X-Mcpgw-Session-Key"]
        if not key then
            ngx.log(ngx.ERR, "mcpgw: the runtime's access check named no session key; refused")
            return answer(503, '{"error":"access_check_unavailable","message":'
                .. '"The registry runtime did not answer the access check; try again shortly."}')
        end
        ngx.ctx.mcpgw_key = key
        local sid = ngx.var.http_mcp_session_id
        if sid then
            local inner, tag = string.match(sid, "^(.+)%.([%w_-]+)$")
            if not inner or tag ~= session_tag(key, inner) then
                return answer(404, SESSION_NOT_FOUND)
            end
            ngx.var.mcpgw_session_client = inner
        end
        local method = ngx.req.get_method()
        if method ~= "GET" and method ~= "HEAD" and method ~= "POST" and method ~= "DELETE" then
            ngx.header["Allow"] = "GET, HEAD, POST, DELETE, OPTIONS"
            return answer(405, '{"error":"method_not_allowed","message":'
                .. '"MCP servers are reached with GET, HEAD, POST, DELETE or OPTIONS."}')
        end
        if ngx.var.mcpgw_transport == "sse" then
            -- Only the stream itself (a GET without a body) is opened without a session; anything else reaches a
            -- session, which must be this caller's: an upstream may accept messages by any method, GET included.
            if (method ~= "GET" and method ~= "HEAD") or has_body then
                -- A message for an SSE session: its endpoint's query, as this caller was given it.
                local rest = ngx.var.mcpgw_rest
                local path, query = string.match(rest, "^([^?]*)%?(.*)$")
                local before, tag
                if query then
                    before, tag = string.match(query, "^(.-)&?mcpgw_session=([%w_-]+)$")
                end
                if not tag or tag ~= session_tag(key, endpoint_key(path, before)) then
                    return answer(404, SESSION_NOT_FOUND)
                end
                ngx.var.mcpgw_rest_out = before == "" and path or path .. "?" .. before
            else
                ngx.ctx.mcpgw_endpoint = true
            end
        end
        if check.header["X-Mcpgw-Tool-Filter"] then
            local allowed = {}
            for name in string.gmatch(check.body or "", "[^\n]+") do
                allowed[name] = true
            end
            ngx.ctx.mcpgw_tools = allowed
        end
        return
    end
    if status == 400 or status == 401 or status == 403 or status == 413 or status == 415 then
        return answer(status, check.body or "", check.header["WWW-Authenticate"])
    end
    ngx.log(ngx.ERR, "mcpgw: the runtime's access check answered ", status)
    return answer(503, '{"error":"access_check_unavailable","message":'
        .. '"The registry runtime did not answer the access check; try again shortly."}')
end

-- JSON scanning: positions are byte indexes into s; every function returns nil on malformed input.

local function skip_space(s, i)
    return find(s, "[^ \t\r\n]", i) or #s + 1
end

local function skip_string(s, i)
    local j = i + 1
    while true do
        local k = find(s, '["\\]', j)
        if not k then
            return nil
        end
        if byte(s, k) == 34 then
            return k + 1
        end
        j = k + 2
    end
end

local function skip_value(s, i)
    local c = byte(s, i)
    if c == 34 then
        return skip_string(s, i)
    end
    if c == 123 or c == 91 then
        local depth, j = 0, i
        while true do
            local k = find(s, '[][{}"]', j)
            if not k then
                return nil
            end
            local ck = byte(s, k)
            if ck == 34 then
                j = skip_string(s, k)
                if not j then
                    return nil
                end
            else
                depth = depth + ((ck == 123 or ck == 91) and 1 or -1)
                j = k + 1
                if depth == 0 then
                    return j
                end
            end
        end
    end
    local k = find(s, "[,}%]%s]", i) or #s + 1
    if k == i then
        return nil
    end
    return k
end

local ESCAPES = { ['"'] = '"', ["\\"] = "\\", ["/"] = "/", b = "\b", f = "\f", n = "\n", r = "\r", t = "\t" }

-- The text of a JSON string's raw contents. Names that matter here are ASCII, so any other character becomes
-- "\0", which no allowed name contains.
local function unescape(raw)
    if not find(raw, "\\", 1, true) then
        return raw
    end
    local out, i = {}, 1
    while true do
        local k = find(raw, "\\", i, true)
        if not k then
            out[#out + 1] = sub(raw, i)
            return concat(out)
        end
        out[#out + 1] = sub(raw, i, k - 1)
        local escape = sub(raw, k + 1, k + 1)
        if escape == "u" then
            local hex = sub(raw, k + 2, k + 5)
            if not find(hex, "^%x%x%x%x$") then
                return nil
            end
            local code = tonumber(hex, 16)
            out[#out + 1] = code < 128 and char(code) or "\0"
            i = k + 6
        else
            local plain = ESCAPES[escape]
            if not plain then
                return nil
            end
            out[#out + 1] = plain
            i = k + 2
        end
    end
end

-- Calls item(j) at the start of each item of the object or array at i (close: the byte that ends it); item
-- returns the index after the item, or nil. Returns the index after the container.
local function items(s, i, close, item)
    local j = skip_space(s, i + 1)
    if byte(s, j) == close then
        return j + 1
    end
    while true do
        local after = item(j)
        if not after then
            return nil
        end
        j = skip_space(s, after)
        local c = byte(s, j)
        if c == close then
            return j + 1
        end
        if c ~= 44 then
            return nil
        end
        j = skip_space(s, j + 1)
    end
end

-- Calls visit(key, value_start, value_end) for each member of the object at i; returns the index after it.
local function members(s, i, visit)
    return items(s, i, 125, function(j)
        if byte(s, j) ~= 34 then
            return nil
        end
        local key_end = skip_string(s, j)
        if not key_end then
            return nil
        end
        local key = unescape(sub(s, j + 1, key_end - 2))
        local colon = skip_space(s, key_end)
        if not key or byte(s, colon) ~= 58 then
            return nil
        end
        local value = skip_space(s, colon + 1)
        local value_end = skip_value(s, value)
        if not value_end or visit(key, value, value_end) == false then
            return nil
        end
        return value_end
    end)
end

-- Calls visit(element_start, element_end) for each element of the array at i; returns the index after it.
local function elements(s, i, visit)
    return items(s, i, 93, function(j)
        local element_end = skip_value(s, j)
        if not element_end or visit(j, element_end) == false then
            return nil
        end
        return element_end
    end)
end

-- The tools array at i without the tools the caller may not call, or nil.
local function allowed_tools(s, i, allowed)
    local kept = {}
    local ok = elements(s, i, function(start, stop)
        if byte(s, start) ~= 123 then
            return false
        end
        local name
        local tool_ok = members(s, start, function(key, value, value_end)
            if key == "name" then
                if name or byte(s, value) ~= 34 then
                    return false
                end
                name = unescape(sub(s, value + 1, value_end - 2)) or false
            end
        end)
        if not tool_ok or name == false then
            return false
        end
        if name and allowed[name] then
            kept[#kept + 1] = sub(s, start, stop - 1)
        end
    end)
    return ok and "[" .. concat(kept, ",") .. "]"
end

-- Records in edits every result.tools array of the JSON-RPC response at i, filtered; false when malformed.
local function response_edits(s, i, allowed, edits)
    if byte(s, i) ~= 123 then
        return false
    end
    return members(s, i, function(key, value)
        if key ~= "result" or byte(s, value) ~= 123 then
            return
        end
        return members(s, value, function(result_key, tools, tools_end)
            if result_key ~= "tools" or byte(s, tools) ~= 91 then
                return
            end
            local filtered = allowed_tools(s, tools, allowed)
            if not filtered then
                return false
            end
            edits[#edits + 1] = { tools, tools_end, filtered }
        end) ~= nil
    end) ~= nil
end

-- One JSON-RPC message (or batch) with its tools/list results filtered.
local function filter_message(s, allowed)
    if not find(s, "tools", 1, true) and not find(s, "\\u", 1, true) then
        return s
    end
    local edits = {}
    local i = skip_space(s, 1)
    local ok
    if byte(s, i) == 91 then
        ok = elements(s, i, function(start)
            return response_edits(s, start, allowed, edits)
        end) ~= nil
    else
        ok = response_edits(s, i, allowed, edits)
    end
    if not ok then
        return FILTER_FAILED
    end
    local out, from = {}, 1
    for _, edit in ipairs(edits) do
        out[#out + 1] = sub(s, from, edit[1] - 1)
        out[#out + 1] = edit[3]
        from = edit[2]
    end
    out[#out + 1] = sub(s, from)
    return concat(out)
end

-- One SSE event (without its blank line) with the JSON-RPC message in its data filtered.
local function filter_event(event, allowed)
    local fields, data = {}, {}
    for line in string.gmatch(event .. "\n", "([^\n]*)\n") do
        if sub(line, 1, 5) == "data:" then
            data[#data + 1] = sub(line, 6 + (byte(line, 6) == 32 and 1 or 0))
        else
            fields[#fields + 1] = line
        end
    end
    if #data == 0 then
        return event
    end
    local message = concat(data, "\n")
    local filtered = filter_message(message, allowed)
    if filtered == message then
        return event
    end
    -- A line break in JSON is only ever whitespace between tokens.
    fields[#fields + 1] = "data: " .. string.gsub(filtered, "\n", " ")
    return concat(fields, "\n")
end

function M.header_filter()
    local key = ngx.ctx.mcpgw_key
    if key then
        local out = ngx.var.mcpgw_session_out
        if out and out ~= "" then
            ngx.var.mcpgw_session_tagged = out .. "." .. session_tag(key, out)
        end
        if ngx.ctx.mcpgw_endpoint
                and find(string.lower(ngx.header["Content-Type"] or ""), "text/event-stream", 1, true) then
            ngx.ctx.mcpgw_endpoint_pending = true
            ngx.header["Content-Length"] = nil
        end
    end
    if not ngx.ctx.mcpgw_tools then
        return
    end
    local content_type = string.lower(ngx.header["Content-Type"] or "")
    if find(content_type, "application/json", 1, true) then
        ngx.ctx.mcpgw_mode = "json"
    elseif find(content_type, "text/event-stream", 1, true) then
        ngx.ctx.mcpgw_mode = "sse"
    else
        return
    end
    ngx.header["Content-Length"] = nil
end

-- The first event of an SSE stream with its endpoint (event: endpoint) tagged for the caller: the query of the
-- URL in its data gets "&mcpgw_session=<tag>". Nil while the first event is still incomplete.
local function tag_endpoint(held, key, eof)
    local stop = find(held, "\n\r?\n")
    if not stop and not eof and #held < 16384 then
        return nil
    end
    local event = stop and sub(held, 1, stop) or held
    if not find(event, "event:%s*endpoint") then
        return held
    end
    local tagged = string.gsub(event, "(data:[ ]?)([^\r\n]*)", function(prefix, url)
        local path, query = string.match(url, "^([^?]*)%??(.*)$")
        local separator = string.find(url, "?", 1, true) and (query == "" and "" or "&") or "?"
        return prefix .. url .. separator .. "mcpgw_session=" .. session_tag(key, endpoint_key(path, query))
    end, 1)
    return tagged .. (stop and sub(held, stop + 1) or "")
end

function M.body_filter()
    local ctx = ngx.ctx
    if ctx.mcpgw_endpoint_pending then
        local held = (ctx.mcpgw_endpoint_held or "") .. (ngx.arg[1] or "")
        local tagged = tag_endpoint(held, ctx.mcpgw_key, ngx.arg[2])
        if not tagged then
            ctx.mcpgw_endpoint_held = held
            ngx.arg[1] = nil
            return
        end
        ctx.mcpgw_endpoint_pending, ctx.mcpgw_endpoint_held = nil, nil
        ngx.arg[1] = tagged
    end
    local mode = ctx.mcpgw_mode
    if not mode then
        return
    end
    local chunk, eof = ngx.arg[1], ngx.arg[2]
    if mode == "overflow" then
        ngx.arg[1] = nil
        return
    end
    local held = (ctx.mcpgw_held or "") .. (chunk or "")
    if #held > MAX_HELD then
        ngx.log(ngx.WARN, "mcpgw: an answer to a restricted caller exceeded ", MAX_HELD, " bytes; cut off")
        ctx.mcpgw_mode, ctx.mcpgw_held = "overflow", nil
        ngx.arg[1] = mode == "json" and FILTER_FAILED or "data: " .. FILTER_FAILED .. "\n\n"
        return
    end
    if mode == "json" then
        ctx.mcpgw_held = held
        ngx.arg[1] = eof and filter_message(held, ctx.mcpgw_tools) or nil
        return
    end
    held = string.gsub(held, "\r\n", "\n")
    local out, from = {}, 1
    while true do
        local blank = find(held, "\n\n", from, true)
        if not blank then
            break
        end
        out[#out + 1] = filter_event(sub(held, from, blank - 1), ctx.mcpgw_tools) .. "\n\n"
        from = blank + 2
    end
    ctx.mcpgw_held = sub(held, from)
    if eof and #ctx.mcpgw_held > 0 then
        out[#out + 1] = filter_event(ctx.mcpgw_held, ctx.mcpgw_tools)
    end
    ngx.arg[1] = concat(out)
end

package.loaded.mcpgw = M
