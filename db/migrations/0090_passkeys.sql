-- Passkeys (WebAuthn) as a second kind of second factor, beside TOTP (ASVS 5.0 V6.5, V6.7).
-- Global tables, like user_totp: they belong to an identity, not to a tenant.
-- A credential: its id as the authenticator gave it (base64url), its COSE public key, the
-- signature counter it last reported (a clone shows itself by going back), its transports.
CREATE TABLE "user_passkeys" (
	"id" text PRIMARY KEY NOT NULL,
	"user_id" uuid NOT NULL REFERENCES "users"("id") ON DELETE CASCADE,
	"public_key" bytea NOT NULL,
	"counter" bigint DEFAULT 0 NOT NULL,
	"transports" text[] DEFAULT '{}' NOT NULL,
	"name" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"last_used_at" timestamp with time zone
);
--> statement-breakpoint
CREATE INDEX "user_passkeys_user_idx" ON "user_passkeys" ("user_id");
--> statement-breakpoint
-- The challenge of a ceremony in progress, one per user and purpose (a new one replaces it);
-- taken (deleted) by the one response that may answer it, and good for five minutes.
CREATE TABLE "passkey_challenges" (
	"user_id" uuid NOT NULL REFERENCES "users"("id") ON DELETE CASCADE,
	"purpose" text NOT NULL CHECK ("purpose" IN ('register', 'authenticate')),
	"challenge" text NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	CONSTRAINT "passkey_challenges_pk" PRIMARY KEY ("user_id", "purpose")
);
--> statement-breakpoint
GRANT SELECT, INSERT, UPDATE, DELETE ON user_passkeys, passkey_challenges TO delovod_app;
