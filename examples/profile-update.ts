/**
 * A per-user profile update: one lock per user, `withLock(`profile:${userId}`)`.
 *
 * Profile edits read the stored profile, change one field and write it back. Two edits of the
 * same user at once would lose one of them; edits of different users never conflict. So the
 * lock is per user: edits of one user take turns (a waiting edit wakes up as soon as the
 * previous one releases, without polling), while edits of different users run side by side.
 *
 * Run: REDIS_URL=redis://127.0.0.1:6379 node --import tsx examples/profile-update.ts
 */
import { createLocks, type Locks } from '@deadbolt/ioredis';
import { Redis } from 'ioredis';

const url = process.argv[2] ?? process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
type Profile = Record<string, string>;

async function updateProfile(
  locks: Locks,
  store: Redis,
  userId: string,
  change: Profile,
): Promise<void> {
  await locks.withLock(
    `profile:${userId}`,
    async () => {
      const key = `profile:${userId}`;
      const profile = JSON.parse((await store.get(key)) ?? '{}') as Profile;
      await new Promise((resolve) => setTimeout(resolve, 20)); // validation, an avatar upload...
      await store.set(key, JSON.stringify({ ...profile, ...change }));
    },
    { ttl: 5_000, wait: 10_000 },
  );
}

// Two app servers (a connection and a Locks each) take edits for three users at once.
const servers = [new Redis(url), new Redis(url)];
const locks = servers.map((client) => createLocks(client));
const users = ['ada', 'grace', 'edsger'].map((name) => `${name}-${process.pid}`);
const fields = ['name', 'email', 'locale', 'timezone', 'avatar'];
try {
  await Promise.all(
    users.flatMap((userId) =>
      fields.map((field, i) =>
        updateProfile(locks[i % 2]!, servers[i % 2]!, userId, { [field]: `${field} of ${userId}` }),
      ),
    ),
  );
  for (const userId of users) {
    const profile = JSON.parse((await servers[0]!.get(`profile:${userId}`)) ?? '{}') as Profile;
    console.log(`${userId}: ${Object.keys(profile).length} of ${fields.length} fields kept`);
  }
} finally {
  await servers[0]!.del(...users.map((userId) => `profile:${userId}`));
  await Promise.all(locks.map((l) => l.close()));
  for (const client of servers) client.disconnect();
}
