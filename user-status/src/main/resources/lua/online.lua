-- Online: registers the session of one (user, device), replacing whatever that device had.
-- KEYS[1] = routes hash of the user, KEYS[2] = online sorted set
-- ARGV[1] = user id, ARGV[2] = device id, ARGV[3] = route value "<connector>|<session>|<expiresAtMs>",
-- ARGV[4] = now (epoch ms, from the service clock), ARGV[5] = route-change channel
-- Returns {the device's previous route value or nil, the user's live routes afterwards}: counted
-- here, atomically with the registration, so that of two devices logging in at once exactly one
-- sees 1.

-- Prunes the user's expired routes and aligns the key TTL and the online score with the latest
-- remaining expiry; removes the user from the online set when nothing is left.
local function refresh(key, online, user, now)
  local fields = redis.call('HGETALL', key)
  local latest = nil
  for i = 1, #fields, 2 do
    local expires = tonumber(string.match(fields[i + 1], '|(%d+)$'))
    if expires == nil or expires <= now then
      redis.call('HDEL', key, fields[i])
    elseif latest == nil or expires > latest then
      latest = expires
    end
  end
  if latest == nil then
    redis.call('DEL', key)
    redis.call('ZREM', online, user)
  else
    -- '%.0f': large numbers passed to redis.call must not be rendered in exponent notation.
    redis.call('PEXPIRE', key, string.format('%.0f', latest - now))
    redis.call('ZADD', online, string.format('%.0f', latest), user)
  end
end

local previous = redis.call('HGET', KEYS[1], ARGV[2])
redis.call('HSET', KEYS[1], ARGV[2], ARGV[3])
refresh(KEYS[1], KEYS[2], ARGV[1], tonumber(ARGV[4]))
-- In the script, so that no route changes unannounced: route caches rely on it.
redis.call('PUBLISH', ARGV[5], ARGV[1])
return {previous, redis.call('HLEN', KEYS[1])}
