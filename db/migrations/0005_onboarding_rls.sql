-- Onboarding: grants and row level security of the onboarding tables, and the one named path
-- that deletes a tenant with every row it has (docs/decisions/004-tenant-offboarding.md).
GRANT SELECT, INSERT, UPDATE, DELETE ON signup_requests TO delovod_app;
--> statement-breakpoint
GRANT SELECT, INSERT, UPDATE, DELETE ON invitations, substitutes, holidays TO delovod_app;
--> statement-breakpoint
ALTER TABLE invitations ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE invitations FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY tenant_isolation ON invitations
  USING (tenant_id = (SELECT nullif(current_setting('app.tenant_id', true), '')::uuid))
  WITH CHECK (tenant_id = (SELECT nullif(current_setting('app.tenant_id', true), '')::uuid));
--> statement-breakpoint
ALTER TABLE substitutes ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE substitutes FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY tenant_isolation ON substitutes
  USING (tenant_id = (SELECT nullif(current_setting('app.tenant_id', true), '')::uuid))
  WITH CHECK (tenant_id = (SELECT nullif(current_setting('app.tenant_id', true), '')::uuid));
--> statement-breakpoint
ALTER TABLE holidays ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE holidays FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY tenant_isolation ON holidays
  USING (tenant_id = (SELECT nullif(current_setting('app.tenant_id', true), '')::uuid))
  WITH CHECK (tenant_id = (SELECT nullif(current_setting('app.tenant_id', true), '')::uuid));
--> statement-breakpoint
-- Owns offboard_tenant(); cannot log in, so it is reachable only through that function.
DO $$ BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'delovod_offboarding') THEN
    CREATE ROLE delovod_offboarding NOLOGIN NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE NOREPLICATION;
  END IF;
END $$;
--> statement-breakpoint
GRANT delovod_offboarding TO CURRENT_USER;
--> statement-breakpoint
GRANT USAGE ON SCHEMA public TO delovod_offboarding;
--> statement-breakpoint
-- Reads every table (to count what it deletes), today's and those later migrations create.
GRANT SELECT ON ALL TABLES IN SCHEMA public TO delovod_offboarding;
--> statement-breakpoint
ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT ON TABLES TO delovod_offboarding;
--> statement-breakpoint
GRANT DELETE ON tenants, users TO delovod_offboarding;
--> statement-breakpoint
-- Deleting a tenant row cascades through every tenant table past row level security, so the
-- runtime role may no longer do it directly: only offboard_tenant() does.
REVOKE DELETE ON tenants FROM delovod_app;
--> statement-breakpoint
-- To find the staff whose only organisation is the one deleted (their identities go with it).
CREATE POLICY offboarding_read ON memberships FOR SELECT TO delovod_offboarding USING (true);
--> statement-breakpoint
-- Audit events stay append-only; the one exception is the DELETE of offboard_tenant(), which
-- sets delovod.offboarding for its own duration. Only roles with DELETE on audit_events or on
-- tenants can reach that branch: the owner (who could drop the trigger anyway) and the
-- offboarding role; the runtime role has neither.
CREATE OR REPLACE FUNCTION audit_events_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' AND current_setting('delovod.offboarding', true) = 'on' THEN
    RETURN NULL;
  END IF;
  RAISE EXCEPTION 'audit events are append-only' USING ERRCODE = 'insufficient_privilege';
END $$;
--> statement-breakpoint
-- Deletes a tenant and every row of it; returns the rows removed per table. The caller's
-- tenant setting is restored on return, so a caller scoped to the national office stays so.
-- (PostgreSQL 15 refuses SET clauses for custom settings on a function; hence by hand.)
CREATE FUNCTION offboard_tenant(p_tenant_id uuid) RETURNS jsonb
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = pg_catalog, public
AS $$
DECLARE
  v_caller_tenant text := coalesce(current_setting('app.tenant_id', true), '');
  v_kind text;
  v_table text;
  v_rows bigint;
  v_users uuid[];
  v_counts jsonb := '{}'::jsonb;
BEGIN
  SELECT kind INTO v_kind FROM public.tenants WHERE id = p_tenant_id;
  IF NOT FOUND THEN
    RETURN NULL;
  END IF;
  IF v_kind = 'national' THEN
    RAISE EXCEPTION 'the national office cannot be deleted' USING ERRCODE = 'insufficient_privilege';
  END IF;
  PERFORM set_config('app.tenant_id', p_tenant_id::text, true);
  FOR v_table IN
    SELECT c.relname FROM pg_class c
    JOIN pg_namespace n ON n.oid = c.relnamespace AND n.nspname = 'public'
    JOIN pg_attribute a ON a.attrelid = c.oid AND a.attname = 'tenant_id' AND NOT a.attisdropped
    WHERE c.relkind IN ('r', 'p') ORDER BY 1
  LOOP
    EXECUTE format('SELECT count(*) FROM public.%I WHERE tenant_id = $1', v_table) INTO v_rows USING p_tenant_id;
    IF v_rows > 0 THEN
      v_counts := v_counts || jsonb_build_object(v_table, v_rows);
    END IF;
  END LOOP;
  SELECT coalesce(array_agg(m.user_id), '{}') INTO v_users FROM public.memberships m
  WHERE m.tenant_id = p_tenant_id
    AND NOT EXISTS (SELECT 1 FROM public.memberships o WHERE o.user_id = m.user_id AND o.tenant_id <> p_tenant_id);
  PERFORM set_config('delovod.offboarding', 'on', true);
  -- Every tenant table references tenants(id) ON DELETE CASCADE.
  DELETE FROM public.tenants WHERE id = p_tenant_id;
  DELETE FROM public.users WHERE id = ANY (v_users);
  PERFORM set_config('delovod.offboarding', 'off', true);
  PERFORM set_config('app.tenant_id', v_caller_tenant, true);
  RETURN v_counts || jsonb_build_object('tenants', 1, 'users', cardinality(v_users));
END $$;
--> statement-breakpoint
-- Taking ownership needs CREATE on the schema for a moment; the role keeps none.
GRANT CREATE ON SCHEMA public TO delovod_offboarding;
--> statement-breakpoint
ALTER FUNCTION offboard_tenant(uuid) OWNER TO delovod_offboarding;
--> statement-breakpoint
REVOKE CREATE ON SCHEMA public FROM delovod_offboarding;
--> statement-breakpoint
REVOKE ALL ON FUNCTION offboard_tenant(uuid) FROM PUBLIC;
--> statement-breakpoint
GRANT EXECUTE ON FUNCTION offboard_tenant(uuid) TO delovod_app;
