-- Accounts (ASVS 5.0 V6): password resets, the second factor (TOTP and recovery codes), sign-in
-- challenges between the password and the second factor, the contexts an account has signed in
-- from (which lift its failure limit there), and a tenant's "second factor for everyone".
-- All global tables, like users and sessions: they belong to an identity, not to a tenant.
ALTER TABLE "tenants" ADD COLUMN "require_mfa" boolean DEFAULT false NOT NULL;
--> statement-breakpoint
-- A reset request is written whether or not the address has an account (user_id null then), so
-- both answers do the same work; the email job mints the link and stores only its sha256.
CREATE TABLE "password_resets" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"user_id" uuid REFERENCES "users"("id") ON DELETE CASCADE,
	"token_hash" text UNIQUE,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"used_at" timestamp with time zone
);
--> statement-breakpoint
CREATE INDEX "password_resets_user_idx" ON "password_resets" ("user_id");
--> statement-breakpoint
CREATE INDEX "password_resets_expires_idx" ON "password_resets" ("expires_at");
--> statement-breakpoint
-- The TOTP secret (RFC 6238, base32); confirmed once the owner has entered a code from it.
-- last_step is the newest time step accepted: each code is good once.
CREATE TABLE "user_totp" (
	"user_id" uuid PRIMARY KEY NOT NULL REFERENCES "users"("id") ON DELETE CASCADE,
	"secret" text NOT NULL,
	"confirmed_at" timestamp with time zone,
	"last_step" bigint,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
-- Single-use recovery codes of 120 random bits, kept as sha256 (ASVS 6.5.2 allows a plain hash
-- from 112 bits up).
CREATE TABLE "user_recovery_codes" (
	"user_id" uuid NOT NULL REFERENCES "users"("id") ON DELETE CASCADE,
	"code_hash" text NOT NULL,
	"used_at" timestamp with time zone,
	CONSTRAINT "user_recovery_codes_pk" PRIMARY KEY ("user_id", "code_hash")
);
--> statement-breakpoint
-- A password accepted, the second factor not yet: the cookie's token is kept as sha256. No
-- session exists until the challenge is met.
CREATE TABLE "sign_in_challenges" (
	"id" text PRIMARY KEY NOT NULL,
	"user_id" uuid NOT NULL REFERENCES "users"("id") ON DELETE CASCADE,
	"kind" text NOT NULL CHECK ("kind" IN ('verify', 'enrol')),
	"redirect_to" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"expires_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE INDEX "sign_in_challenges_user_idx" ON "sign_in_challenges" ("user_id");
--> statement-breakpoint
-- Where an account has signed in successfully: 'device:<sha256 of the device cookie>' or
-- 'ip:<address>'. Failures there are counted apart from everyone else's (OWASP device cookies).
CREATE TABLE "trusted_sign_ins" (
	"user_id" uuid NOT NULL REFERENCES "users"("id") ON DELETE CASCADE,
	"context" text NOT NULL,
	"last_success_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "trusted_sign_ins_pk" PRIMARY KEY ("user_id", "context")
);
--> statement-breakpoint
GRANT SELECT, INSERT, UPDATE, DELETE ON password_resets, user_totp, user_recovery_codes, sign_in_challenges, trusted_sign_ins TO delovod_app;
