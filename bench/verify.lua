-- wrk script of bench/verify.sh: each request asks about a different token,
-- cycling through the file named by VERIFY_TOKENS (one token a line); each
-- wrk thread starts at its own offset. VERIFY_PATH is the path before the
-- token ("/api/v1/cards/verify?token=" for guanggu, "/?token=" for the bare server).
local tokens = {}
local n = 0
local i = 0
local prefix = os.getenv("VERIFY_PATH") or "/api/v1/cards/verify?token="
local thread_no = 0

function setup(thread)
  thread:set("thread_no", thread_no)
  thread_no = thread_no + 1
end

function init(args)
  for line in io.lines(os.getenv("VERIFY_TOKENS")) do
    n = n + 1
    tokens[n] = prefix .. line
  end
  i = (tonumber(thread_no) or 0) * 7919 % n
end

function request()
  i = i % n + 1
  return wrk.format("GET", tokens[i])
end
