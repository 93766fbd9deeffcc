// Sessions: lucia 3 with its drizzle adapter, kept behind this one module (ADR 003).
// The cookie carries a random token; the database keeps only its sha256 as the session id.
import { DrizzlePostgreSQLAdapter } from '@lucia-auth/adapter-drizzle';
import { eq, sql } from 'drizzle-orm';
import { Lucia, TimeSpan, type DatabaseSession, type DatabaseUser, type Session, type User } from 'lucia';
import { createHash, randomBytes } from 'node:crypto';
import { reusableSelect } from '#db/reusable';
import { sessions, users } from '#db/schema';
import { db } from '../db.server';
import { env, isSecureOrigin } from '../env.server';

interface SessionAttributes {
  createdAt: Date;
  ip: string | null;
  userAgent: string | null;
}
interface UserAttributes {
  email: string;
  locale: 'sr-Cyrl' | 'sr-Latn' | 'en' | null;
  disabledAt: Date | null;
}

declare module 'lucia' {
  interface Register {
    Lucia: Lucia<SessionAttributes, UserAttributes>;
    DatabaseSessionAttributes: SessionAttributes;
    DatabaseUserAttributes: UserAttributes;
  }
}

// Every signed-in request reads its session and user: the read is built once (db/reusable.ts)
// and takes only the columns lucia is given below.
const sessionAndUser = reusableSelect((database) =>
  database
    .select({
      session: { id: sessions.id, userId: sessions.userId, expiresAt: sessions.expiresAt, createdAt: sessions.createdAt, ip: sessions.ip, userAgent: sessions.userAgent },
      user: { id: users.id, email: users.email, locale: users.locale, disabledAt: users.disabledAt },
    })
    .from(sessions)
    .innerJoin(users, eq(sessions.userId, users.id))
    .where(eq(sessions.id, sql.placeholder('id'))),
);

/** lucia's drizzle adapter, with that read. */
class SessionAdapter extends DrizzlePostgreSQLAdapter {
  override async getSessionAndUser(sessionId: string): Promise<[DatabaseSession | null, DatabaseUser | null]> {
    const [row] = await sessionAndUser(db(), { id: sessionId });
    if (!row) return [null, null];
    const { id, userId, expiresAt, ...sessionAttributes } = row.session;
    const { id: uid, ...userAttributes } = row.user;
    return [
      { id, userId, expiresAt, attributes: sessionAttributes },
      { id: uid, attributes: userAttributes },
    ];
  }
}

function createLucia() {
  return new Lucia<SessionAttributes, UserAttributes>(new SessionAdapter(db() as never, sessions, users), {
    // Idle timeout: lucia extends a session used in the second half of this span.
    sessionExpiresIn: new TimeSpan(env().SESSION_IDLE_MINUTES, 'm'),
    sessionCookie: {
      name: isSecureOrigin() ? '__Host-delovod_session' : 'delovod_session',
      expires: false,
      attributes: { secure: isSecureOrigin(), sameSite: 'lax' },
    },
    getSessionAttributes: (a) => ({ createdAt: a.createdAt, ip: a.ip, userAgent: a.userAgent }),
    getUserAttributes: (a) => ({ email: a.email, locale: a.locale, disabledAt: a.disabledAt }),
  });
}

let instance: ReturnType<typeof createLucia> | undefined;
const lucia = () => (instance ??= createLucia());

/** `token`: the cookie's own value, which the database can check against the session's sha256 (national_caller()). */
export type SignedIn = { user: User; session: Session; token: string };

const sessionIdOf = (token: string) => createHash('sha256').update(token).digest('hex');

export function sessionCookieName(): string {
  return lucia().sessionCookieName;
}

/**
 * The session cookie, kept by the browser exactly as long as the session may live (its absolute
 * lifetime from `createdAt`): a cookie the server would refuse is not kept past that.
 */
function sessionCookie(token: string, createdAt: Date): string {
  const cookie = lucia().createSessionCookie(token);
  const remainingMs = createdAt.getTime() + env().SESSION_ABSOLUTE_HOURS * 3_600_000 - Date.now();
  cookie.attributes.maxAge = Math.max(0, Math.floor(remainingMs / 1000));
  return cookie.serialize();
}

/** Starts a session after a successful sign-in; returns the Set-Cookie header. */
export async function startSession(userId: string, meta: { ip: string | null; userAgent: string | null }): Promise<string> {
  const token = randomBytes(32).toString('base64url');
  const createdAt = new Date();
  await lucia().createSession(userId, { createdAt, ip: meta.ip, userAgent: meta.userAgent?.slice(0, 400) ?? null }, {
    sessionId: sessionIdOf(token),
  });
  return sessionCookie(token, createdAt);
}

export interface SessionCheck {
  signedIn: SignedIn | null;
  /** Set-Cookie to send back: a renewed cookie, or a blank one for a dead session. */
  setCookie?: string;
  expired?: boolean;
}

export async function readSession(cookieHeader: string | null | undefined): Promise<SessionCheck> {
  const token = lucia().readSessionCookie(cookieHeader ?? '');
  if (!token) return { signedIn: null };
  const id = sessionIdOf(token);
  const { session, user } = await lucia().validateSession(id);
  const ended = (): SessionCheck => ({ signedIn: null, setCookie: lucia().createBlankSessionCookie().serialize(), expired: true });
  if (!session || !user) return ended();
  const absoluteEnd = session.createdAt.getTime() + env().SESSION_ABSOLUTE_HOURS * 3_600_000;
  if (Date.now() >= absoluteEnd || user.disabledAt) {
    await lucia().invalidateSession(id);
    return ended();
  }
  return {
    signedIn: { session, user, token },
    setCookie: session.fresh ? sessionCookie(token, session.createdAt) : undefined,
  };
}

export async function endSession(sessionId: string): Promise<string> {
  await lucia().invalidateSession(sessionId);
  return lucia().createBlankSessionCookie().serialize();
}

export async function endAllSessions(userId: string): Promise<string> {
  await lucia().invalidateUserSessions(userId);
  return lucia().createBlankSessionCookie().serialize();
}
