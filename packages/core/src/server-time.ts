/**
 * Lua that sets `now` to the server's clock in ms. Scripts that stamp holds with an expiry
 * use it, so no client clock is ever trusted (Redis 7 replicates script effects, not the
 * script, so TIME is allowed).
 */
export const serverNowLua = `local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
`;

/**
 * Lua that drops the expired members of a holders sorted set (score = expiry in server ms)
 * and their fences from the companion hash. Expects `now`; `holders` and `fences` name the
 * KEYS entries.
 */
export function dropExpiredLua(holders: string, fences: string): string {
  return `local expired = redis.call('ZRANGEBYSCORE', ${holders}, '-inf', now)
for i = 1, #expired, 500 do
  redis.call('HDEL', ${fences}, unpack(expired, i, math.min(i + 499, #expired)))
end
redis.call('ZREMRANGEBYSCORE', ${holders}, '-inf', now)
`;
}

/** Lua that makes the holders set and its fences hash expire with their last member. */
export function expireWithLastLua(holders: string, fences: string): string {
  return `local last = redis.call('ZRANGE', ${holders}, -1, -1, 'WITHSCORES')
if last[2] then
  local keep = math.max(1, tonumber(last[2]) - now)
  redis.call('PEXPIRE', ${holders}, keep)
  redis.call('PEXPIRE', ${fences}, keep)
end
`;
}
