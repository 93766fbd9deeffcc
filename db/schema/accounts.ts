// Accounts: password resets, the second factor, sign-in challenges and trusted sign-in contexts.
// Global tables, like users and sessions (migration 0050_accounts.sql).
import { sql } from 'drizzle-orm';
import { bigint, customType, index, pgTable, primaryKey, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { users } from './core';

const at = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });
const userRef = () => uuid('user_id').references(() => users.id, { onDelete: 'cascade' });

export const passwordResets = pgTable(
  'password_resets',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    // Null when the address asked for has no account: nothing is sent, but the same work is done.
    userId: userRef(),
    tokenHash: text('token_hash').unique(),
    createdAt: at('created_at').notNull().defaultNow(),
    expiresAt: at('expires_at').notNull(),
    usedAt: at('used_at'),
  },
  (t) => [index('password_resets_user_idx').on(t.userId), index('password_resets_expires_idx').on(t.expiresAt)],
);

export const userTotp = pgTable('user_totp', {
  userId: userRef().primaryKey(),
  secret: text('secret').notNull(),
  confirmedAt: at('confirmed_at'),
  lastStep: bigint('last_step', { mode: 'number' }),
  createdAt: at('created_at').notNull().defaultNow(),
});

export const userRecoveryCodes = pgTable(
  'user_recovery_codes',
  {
    userId: userRef().notNull(),
    codeHash: text('code_hash').notNull(),
    usedAt: at('used_at'),
  },
  (t) => [primaryKey({ name: 'user_recovery_codes_pk', columns: [t.userId, t.codeHash] })],
);

export const signInChallenges = pgTable(
  'sign_in_challenges',
  {
    id: text('id').primaryKey(),
    userId: userRef().notNull(),
    kind: text('kind', { enum: ['verify', 'enrol'] }).notNull(),
    redirectTo: text('redirect_to'),
    createdAt: at('created_at').notNull().defaultNow(),
    expiresAt: at('expires_at').notNull(),
  },
  (t) => [index('sign_in_challenges_user_idx').on(t.userId)],
);

export const trustedSignIns = pgTable(
  'trusted_sign_ins',
  {
    userId: userRef().notNull(),
    // 'device:<sha256 of the device cookie>' or 'ip:<address>'
    context: text('context').notNull(),
    lastSuccessAt: at('last_success_at').notNull().default(sql`now()`),
  },
  (t) => [primaryKey({ name: 'trusted_sign_ins_pk', columns: [t.userId, t.context] })],
);

const bytea = customType<{ data: Buffer }>({ dataType: () => 'bytea' });

/** A passkey (WebAuthn credential) of a user: migration 0090_passkeys.sql. */
export const userPasskeys = pgTable(
  'user_passkeys',
  {
    id: text('id').primaryKey(),
    userId: userRef().notNull(),
    publicKey: bytea('public_key').notNull(),
    counter: bigint('counter', { mode: 'number' }).notNull().default(0),
    transports: text('transports').array().notNull().default(sql`'{}'`),
    name: text('name').notNull(),
    createdAt: at('created_at').notNull().defaultNow(),
    lastUsedAt: at('last_used_at'),
  },
  (t) => [index('user_passkeys_user_idx').on(t.userId)],
);

export const passkeyChallenges = pgTable(
  'passkey_challenges',
  {
    userId: userRef().notNull(),
    purpose: text('purpose', { enum: ['register', 'authenticate'] }).notNull(),
    challenge: text('challenge').notNull(),
    expiresAt: at('expires_at').notNull(),
  },
  (t) => [primaryKey({ name: 'passkey_challenges_pk', columns: [t.userId, t.purpose] })],
);
