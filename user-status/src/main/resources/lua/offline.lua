-- Offline: removes the route of one (user, device) only if it still belongs to the given session,
-- so that the logout of an old connection never removes the newer login of the same device.
-- KEYS[1] = routes hash of the user, KEYS[2] = online sorted set
-- ARGV[1] = user id, ARGV[2] = device id, ARGV[3] = session id, ARGV[4] = now (epoch ms),
-- ARGV[5] = route-change channel
-- Returns {1 if the route was removed, 0 otherwise; the user's live routes afterwards}, the count
-- taken atomically with the removal (0 after a removal: the user just went offline).

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
    redis.call('PEXPIRE', key, string.format('%.0f', latest - now))
    redis.call('ZADD', online, string.format('%.0f', latest), user)
  end
end

local current = redis.call('HGET', KEYS[1], ARGV[2])
if not current then
  -- Nothing to remove here (Redis lost it: a restart, FLUSHALL), but a route cache may still hold
  -- the route it had, so the logout is announced anyway.
  redis.call('PUBLISH', ARGV[5], ARGV[1])
  return {0, redis.call('HLEN', KEYS[1])}
end
if string.match(current, '^[^|]*|([^|]*)|') ~= ARGV[3] then
  return {0, redis.call('HLEN', KEYS[1])}
end
redis.call('HDEL', KEYS[1], ARGV[2])
refresh(KEYS[1], KEYS[2], ARGV[1], tonumber(ARGV[4]))
redis.call('PUBLISH', ARGV[5], ARGV[1])
return {1, redis.call('HLEN', KEYS[1])}
