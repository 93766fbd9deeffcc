// A live session of a user, as sign-in makes one (the database keeps the token's sha256 only):
// the token is what the browser's cookie would carry.
import { createHash, randomBytes } from 'node:crypto';
import type { Database } from '#db/client';
import { sessions } from '#db/schema';

export async function openSession(db: Database, userId: string, expiresInMs = 3_600_000): Promise<string> {
  const token = randomBytes(32).toString('base64url');
  await db.insert(sessions).values({ id: createHash('sha256').update(token).digest('hex'), userId, expiresAt: new Date(Date.now() + expiresInMs) });
  return token;
}
