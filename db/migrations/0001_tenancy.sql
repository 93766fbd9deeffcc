-- Tenancy: the runtime role, grants, and fail-closed row level security.
-- Hand-written; see docs/decisions/001-tenancy-rls.md. Each statement is separated by the
-- drizzle breakpoint so the migrator can run it on PGlite too (one statement per query).

-- The runtime role of the web app and the worker: may log in, is no superuser, has no
-- BYPASSRLS and will own nothing. Operators set its password (ALTER ROLE delovod_app PASSWORD …).
DO $$ BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'delovod_app') THEN
    CREATE ROLE delovod_app LOGIN NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE NOREPLICATION;
  END IF;
END $$;
--> statement-breakpoint
-- Owns the SECURITY DEFINER functions of the narrow cross-tenant paths; cannot log in.
DO $$ BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'delovod_directory') THEN
    CREATE ROLE delovod_directory NOLOGIN NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE NOREPLICATION;
  END IF;
END $$;
--> statement-breakpoint
GRANT delovod_directory TO CURRENT_USER;
--> statement-breakpoint
GRANT USAGE ON SCHEMA public TO delovod_app, delovod_directory;
--> statement-breakpoint
-- Global tables.
GRANT SELECT, INSERT, UPDATE, DELETE ON tenants, users, sessions, login_throttle TO delovod_app;
--> statement-breakpoint
-- Tenant tables (audit events are append-only: no UPDATE or DELETE).
GRANT SELECT, INSERT, UPDATE, DELETE ON org_units, memberships, audit_heads, outbox TO delovod_app;
--> statement-breakpoint
GRANT SELECT, INSERT ON audit_events TO delovod_app;
--> statement-breakpoint
ALTER TABLE org_units ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE org_units FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY tenant_isolation ON org_units
  USING (tenant_id = (SELECT nullif(current_setting('app.tenant_id', true), '')::uuid))
  WITH CHECK (tenant_id = (SELECT nullif(current_setting('app.tenant_id', true), '')::uuid));
--> statement-breakpoint
ALTER TABLE memberships ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE memberships FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY tenant_isolation ON memberships
  USING (tenant_id = (SELECT nullif(current_setting('app.tenant_id', true), '')::uuid))
  WITH CHECK (tenant_id = (SELECT nullif(current_setting('app.tenant_id', true), '')::uuid));
--> statement-breakpoint
ALTER TABLE audit_events ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE audit_events FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY tenant_isolation ON audit_events
  USING (tenant_id = (SELECT nullif(current_setting('app.tenant_id', true), '')::uuid))
  WITH CHECK (tenant_id = (SELECT nullif(current_setting('app.tenant_id', true), '')::uuid));
--> statement-breakpoint
ALTER TABLE audit_heads ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE audit_heads FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY tenant_isolation ON audit_heads
  USING (tenant_id = (SELECT nullif(current_setting('app.tenant_id', true), '')::uuid))
  WITH CHECK (tenant_id = (SELECT nullif(current_setting('app.tenant_id', true), '')::uuid));
--> statement-breakpoint
ALTER TABLE outbox ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE outbox FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY tenant_isolation ON outbox
  USING (tenant_id = (SELECT nullif(current_setting('app.tenant_id', true), '')::uuid))
  WITH CHECK (tenant_id = (SELECT nullif(current_setting('app.tenant_id', true), '')::uuid));
--> statement-breakpoint
-- Audit events are append-only for everyone, the owner included.
CREATE FUNCTION audit_events_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'audit events are append-only' USING ERRCODE = 'insufficient_privilege';
END $$;
--> statement-breakpoint
-- Statement level, so it fires even when row level security hides every row from the caller.
CREATE TRIGGER audit_events_append_only BEFORE UPDATE OR DELETE OR TRUNCATE ON audit_events
  FOR EACH STATEMENT EXECUTE FUNCTION audit_events_append_only();
--> statement-breakpoint
-- Sign-in's one cross-tenant read: the tenants a user belongs to, with their roles there.
-- The directory role may read memberships across tenants; the runtime role may only call this.
CREATE POLICY directory_read ON memberships FOR SELECT TO delovod_directory USING (true);
--> statement-breakpoint
GRANT SELECT ON memberships, tenants TO delovod_directory;
--> statement-breakpoint
CREATE FUNCTION user_tenants(p_user_id uuid)
RETURNS TABLE (tenant_id uuid, slug text, kind text, name_cyrl text, name_latn text, name_en text, status text, roles text[])
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, public AS $$
  SELECT t.id, t.slug, t.kind, t.name_cyrl, t.name_latn, t.name_en, t.status, m.roles
  FROM public.memberships m JOIN public.tenants t ON t.id = m.tenant_id
  WHERE m.user_id = p_user_id AND m.active
  ORDER BY t.kind = 'national' DESC, t.name_latn
$$;
--> statement-breakpoint
-- Taking ownership needs CREATE on the schema for a moment; the role keeps none.
GRANT CREATE ON SCHEMA public TO delovod_directory;
--> statement-breakpoint
ALTER FUNCTION user_tenants(uuid) OWNER TO delovod_directory;
--> statement-breakpoint
REVOKE CREATE ON SCHEMA public FROM delovod_directory;
--> statement-breakpoint
REVOKE ALL ON FUNCTION user_tenants(uuid) FROM PUBLIC;
--> statement-breakpoint
GRANT EXECUTE ON FUNCTION user_tenants(uuid) TO delovod_app;
