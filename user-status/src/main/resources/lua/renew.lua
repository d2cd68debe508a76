-- Renew: extends (or re-creates, e.g. after a Redis restart or FLUSHALL) a batch of sessions of
-- one connector. A device whose route now belongs to another session (a newer login) is skipped.
-- KEYS[1] = online sorted set, KEYS[1 + i] = routes hash of the user of session i
-- ARGV[1] = now (epoch ms), ARGV[2] = new expiry (epoch ms), ARGV[3] = connector id,
-- ARGV[4] = route-change channel, then three values per session i: user id, device id, session id
-- Re-created routes (missing or expired) are published on the channel as comma-separated user
-- ids; extended ones are not, since only their expiry moved.
-- Returns the number of sessions renewed.

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

local now = tonumber(ARGV[1])
local renewed = 0
local touched = {}
local recreated = {}
for i = 1, #KEYS - 1 do
  local key = KEYS[i + 1]
  local base = 4 + (i - 1) * 3
  local user, device, session = ARGV[base + 1], ARGV[base + 2], ARGV[base + 3]
  local current = redis.call('HGET', key, device)
  if (not current) or string.match(current, '^[^|]*|([^|]*)|') == session then
    redis.call('HSET', key, device, ARGV[3] .. '|' .. session .. '|' .. ARGV[2])
    renewed = renewed + 1
    touched[key] = user
    -- Readers already treat an expired route as gone, so its renewal brings it back too.
    local expiry = current and tonumber(string.match(current, '|(%d+)$'))
    if (not current) or expiry == nil or expiry <= now then
      recreated[#recreated + 1] = user
    end
  end
end
for key, user in pairs(touched) do
  refresh(key, KEYS[1], user, now)
end
if #recreated > 0 then
  redis.call('PUBLISH', ARGV[4], table.concat(recreated, ','))
end
return renewed
