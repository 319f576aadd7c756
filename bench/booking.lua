-- wrk script for `make bench`: a stream of valid appointment requests, each to a random
-- free slot, with the CSRF cookie and token and the form's signed start time a browser has.
local slots = {__SLOTS__}
local cookie = "__COOKIE__"
local fields = {
  action = "request", reason = "other", first_name = "Bench", last_name = "Patient",
  email = "bench@example.com", phone = "(202) 555-0143", patient_type = "returning",
  consent = "on", website = "",
  csrfmiddlewaretoken = "__CSRF__", started = "__STARTED__",
}

local function encode(value)
  return (string.gsub(value, "[^%w%-_%.~]", function(c)
    return string.format("%%%02X", string.byte(c))
  end))
end

function init(args)
  math.randomseed(os.time() + math.floor(os.clock() * 1000000))
end

request = function()
  local slot = slots[math.random(#slots)]
  local body = "date=" .. slot[1] .. "&time=" .. encode(slot[2])
  for name, value in pairs(fields) do
    body = body .. "&" .. name .. "=" .. encode(value)
  end
  return wrk.format("POST", "/book/", {
    ["Content-Type"] = "application/x-www-form-urlencoded",
    ["Cookie"] = cookie,
  }, body)
end
