-- Every SECURITY DEFINER function checks, inside the database, that its caller is in the scope
-- it serves (docs/security.md, "Database"):
-- - national operations (deleting a tenant, the national aggregates) need a live session of an
--   active national-office member with the right role, proven by the session's token: the
--   database keeps only the token's sha256, so the runtime role cannot forge one from what it
--   can read, and a call without it is refused whatever settings the caller made;
-- - the worker's cross-tenant scans run outside any tenant's or user's scope;
-- - a user's organisations are never read from inside a tenant's scope (a tenant's pages cannot
--   learn where else their staff work).
GRANT SELECT ON sessions, users TO delovod_directory;
--> statement-breakpoint
-- The national-office member acting in this transaction: the session whose token is in
-- app.session_token (live, of an enabled user, the user of app.user_id), in a transaction scoped
-- to the national office, with one of `p_roles` there. Refuses (42501) anything else.
CREATE FUNCTION national_caller(p_roles text[]) RETURNS uuid
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = pg_catalog, public AS $$
DECLARE
  v_token text := nullif(current_setting('app.session_token', true), '');
  v_user uuid;
BEGIN
  IF v_token IS NOT NULL THEN
    SELECT s.user_id INTO v_user
    FROM public.sessions s
    JOIN public.users u ON u.id = s.user_id AND u.disabled_at IS NULL
    JOIN public.tenants t ON t.kind = 'national' AND t.status = 'active'
      AND t.id::text = nullif(current_setting('app.tenant_id', true), '')
    JOIN public.memberships m ON m.tenant_id = t.id AND m.user_id = s.user_id AND m.active AND m.roles && p_roles
    WHERE s.id = encode(sha256(convert_to(v_token, 'UTF8')), 'hex')
      AND s.expires_at > now()
      AND s.user_id::text = nullif(current_setting('app.user_id', true), '');
  END IF;
  IF v_user IS NULL THEN
    RAISE EXCEPTION 'a national-office session with one of the roles % is required', p_roles USING ERRCODE = 'insufficient_privilege';
  END IF;
  RETURN v_user;
END $$;
--> statement-breakpoint
-- The worker's scope: no request's tenant and no user in this transaction.
CREATE FUNCTION worker_caller() RETURNS void
LANGUAGE plpgsql STABLE SET search_path = pg_catalog, public AS $$
BEGIN
  IF nullif(current_setting('app.tenant_id', true), '') IS NOT NULL OR nullif(current_setting('app.user_id', true), '') IS NOT NULL THEN
    RAISE EXCEPTION 'a cross-tenant scan of the worker cannot run in a tenant''s or a user''s scope' USING ERRCODE = 'insufficient_privilege';
  END IF;
END $$;
--> statement-breakpoint
GRANT CREATE ON SCHEMA public TO delovod_directory;
--> statement-breakpoint
ALTER FUNCTION national_caller(text[]) OWNER TO delovod_directory;
--> statement-breakpoint
REVOKE CREATE ON SCHEMA public FROM delovod_directory;
--> statement-breakpoint
-- Only the definer functions below call it; the runtime role has no use for an oracle of tokens.
REVOKE ALL ON FUNCTION national_caller(text[]) FROM PUBLIC;
--> statement-breakpoint
GRANT EXECUTE ON FUNCTION national_caller(text[]) TO delovod_offboarding;
--> statement-breakpoint
REVOKE ALL ON FUNCTION worker_caller() FROM PUBLIC;
--> statement-breakpoint
GRANT EXECUTE ON FUNCTION worker_caller() TO delovod_directory;
--> statement-breakpoint
-- Deleting a tenant: a national-office reviewer's own session, nothing less.
CREATE OR REPLACE FUNCTION offboard_tenant(p_tenant_id uuid) RETURNS jsonb
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
  PERFORM public.national_caller(ARRAY['national_reviewer']);
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
-- The national aggregates: any national-office member's own session.
CREATE OR REPLACE FUNCTION outbox_backlog()
RETURNS TABLE (pending bigint, due bigint, retrying bigint)
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = pg_catalog, public AS $$
BEGIN
  PERFORM public.national_caller(ARRAY['national_editor', 'national_reviewer']);
  RETURN QUERY
  SELECT count(*), count(*) FILTER (WHERE o.available_at <= now()), count(*) FILTER (WHERE o.attempts > 0)
  FROM public.outbox o
  WHERE o.relayed_at IS NULL;
END $$;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION national_document_stats(p_from timestamptz, p_to timestamptz)
RETURNS TABLE (tenant_id uuid, template_key text, started bigint, completed bigint, median_hours double precision)
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = pg_catalog, public AS $$
BEGIN
  PERFORM public.national_caller(ARRAY['national_editor', 'national_reviewer']);
  RETURN QUERY
  SELECT d.tenant_id, t.key,
    count(*),
    count(*) FILTER (WHERE d.state IN ('approved', 'registered', 'rejected')),
    percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM d.decided_at - d.submitted_at) / 3600)
      FILTER (WHERE d.state IN ('approved', 'registered', 'rejected') AND d.decided_at IS NOT NULL)
  FROM public.documents d JOIN public.templates t ON t.id = d.template_id
  WHERE d.submitted_at IS NOT NULL AND d.submitted_at >= p_from AND d.submitted_at < p_to
  GROUP BY d.tenant_id, t.key;
END $$;
--> statement-breakpoint
GRANT EXECUTE ON FUNCTION national_caller(text[]) TO delovod_directory;
--> statement-breakpoint
-- The worker's scans: outside any tenant's or user's scope.
CREATE OR REPLACE FUNCTION claim_outbox(p_limit integer)
RETURNS TABLE (tenant_id uuid, id uuid, job text, payload jsonb, attempts integer)
LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, public AS $$
BEGIN
  PERFORM public.worker_caller();
  RETURN QUERY
  UPDATE public.outbox o SET relayed_at = now(), attempts = o.attempts + 1
  FROM (
    SELECT c.tenant_id, c.id FROM public.outbox c
    WHERE c.relayed_at IS NULL AND c.available_at <= now()
    ORDER BY c.available_at
    LIMIT p_limit
    FOR UPDATE SKIP LOCKED
  ) due
  WHERE o.tenant_id = due.tenant_id AND o.id = due.id
  RETURNING o.tenant_id, o.id, o.job, o.payload, o.attempts;
END $$;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION overdue_steps(p_now timestamptz, p_max_rounds integer, p_limit integer)
RETURNS TABLE (tenant_id uuid, step_id uuid)
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = pg_catalog, public AS $$
BEGIN
  PERFORM public.worker_caller();
  RETURN QUERY
  SELECT s.tenant_id, s.id FROM public.document_steps s
  WHERE s.state = 'pending' AND s.reminders_sent <= 3 AND s.due_at <= p_now AND s.reminders_sent <= p_max_rounds
  ORDER BY s.due_at
  LIMIT p_limit;
END $$;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION overdue_adoptions(p_today date)
RETURNS TABLE (tenant_id uuid, adoption_id uuid, version_id uuid)
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = pg_catalog, public AS $$
BEGIN
  PERFORM public.worker_caller();
  RETURN QUERY
  SELECT a.tenant_id, a.id, target.id
  FROM public.adoptions a
  JOIN public.template_versions cur ON cur.id = a.version_id
  JOIN LATERAL (
    SELECT v.id FROM public.template_versions v
    WHERE v.template_id = a.template_id AND v.status = 'published' AND v.adopt_by <= p_today AND v.version > cur.version
    ORDER BY v.version DESC LIMIT 1
  ) target ON true;
END $$;
--> statement-breakpoint
-- A user's organisations: sign-in's and the tenant switch's read, never from inside a tenant's scope.
CREATE OR REPLACE FUNCTION user_tenants(p_user_id uuid)
RETURNS TABLE (tenant_id uuid, slug text, kind text, name_cyrl text, name_latn text, name_en text, status text, roles text[])
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = pg_catalog, public AS $$
BEGIN
  IF nullif(current_setting('app.tenant_id', true), '') IS NOT NULL THEN
    RAISE EXCEPTION 'a user''s organisations cannot be read in a tenant''s scope' USING ERRCODE = 'insufficient_privilege';
  END IF;
  RETURN QUERY
  SELECT t.id, t.slug, t.kind, t.name_cyrl, t.name_latn, t.name_en, t.status, m.roles
  FROM public.memberships m JOIN public.tenants t ON t.id = m.tenant_id
  WHERE m.user_id = p_user_id AND m.active
  ORDER BY t.kind = 'national' DESC, t.name_latn;
END $$;
