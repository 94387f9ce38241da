-- wrk script of bench/verify.sh's redemption figure: POST /api/v1/redemptions,
-- each request with the next card's token (REDEEM_TOKENS, one a line: distinct
-- cards) and the next provider's bearer token (REDEEM_BEARERS, one a line),
-- for item REDEEM_ITEM. Each wrk thread starts at its own offset.
local tokens, bearers = {}, {}
local i, j = 0, 0
local item = os.getenv("REDEEM_ITEM") or "4"
local thread_no = 0

function setup(thread)
  thread:set("thread_no", thread_no)
  thread_no = thread_no + 1
end

function init(args)
  for line in io.lines(os.getenv("REDEEM_TOKENS")) do tokens[#tokens + 1] = line end
  for line in io.lines(os.getenv("REDEEM_BEARERS")) do bearers[#bearers + 1] = line end
  i = (tonumber(thread_no) or 0) * 50021 % #tokens
  j = (tonumber(thread_no) or 0) * 17 % #bearers
end

function request()
  i = i % #tokens + 1
  j = j % #bearers + 1
  return wrk.format("POST", "/api/v1/redemptions", {
    ["Content-Type"] = "application/json",
    ["Authorization"] = "Bearer " .. bearers[j],
  }, '{"token":"' .. tokens[i] .. '","item_id":' .. item .. '}')
end
