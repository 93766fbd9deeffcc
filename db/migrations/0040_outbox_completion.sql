-- Jobs under failure (ADR 015): PostgreSQL is the source of truth for what was asked and what
-- was done. An outbox row is completed when its job has run to its end (the worker records it
-- before BullMQ completes the job); a row relayed long ago and neither completed nor present in
-- Redis was lost there (Redis restarted empty, evicted, failed over) and is relayed again under
-- the same job id. Cross-tenant paths as in 0009/0060: SECURITY DEFINER functions owned by the
-- NOLOGIN directory role, each checking its caller's scope; ids and ages only.
ALTER TABLE outbox ADD COLUMN completed_at timestamp with time zone;
--> statement-breakpoint
CREATE INDEX outbox_unfinished_idx ON outbox USING btree (created_at) WHERE completed_at IS NULL;
--> statement-breakpoint
CREATE INDEX outbox_relayed_unfinished_idx ON outbox USING btree (relayed_at) WHERE completed_at IS NULL AND relayed_at IS NOT NULL;
--> statement-breakpoint
-- The worker records completed jobs, a batch at a time, of any tenants.
CREATE FUNCTION complete_outbox(p_tenants uuid[], p_ids uuid[]) RETURNS integer
LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, public AS $$
DECLARE v_count integer;
BEGIN
  PERFORM public.worker_caller();
  UPDATE public.outbox o SET completed_at = now()
  FROM unnest(p_tenants, p_ids) AS done(tenant_id, id)
  WHERE o.tenant_id = done.tenant_id AND o.id = done.id AND o.completed_at IS NULL;
  GET DIAGNOSTICS v_count = ROW_COUNT;
  RETURN v_count;
END $$;
--> statement-breakpoint
-- Rows relayed more than p_seconds ago and not completed: the reconciler asks Redis about them.
CREATE FUNCTION stale_outbox(p_seconds integer, p_limit integer)
RETURNS TABLE (tenant_id uuid, id uuid, job text)
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = pg_catalog, public AS $$
BEGIN
  PERFORM public.worker_caller();
  RETURN QUERY
  SELECT o.tenant_id, o.id, o.job FROM public.outbox o
  WHERE o.completed_at IS NULL AND o.relayed_at IS NOT NULL AND o.relayed_at < now() - make_interval(secs => p_seconds)
  ORDER BY o.relayed_at
  LIMIT p_limit;
END $$;
--> statement-breakpoint
-- Those of them Redis no longer holds go back to the relay, which adds them under the same id.
CREATE FUNCTION unrelay_outbox(p_tenants uuid[], p_ids uuid[]) RETURNS integer
LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, public AS $$
DECLARE v_count integer;
BEGIN
  PERFORM public.worker_caller();
  UPDATE public.outbox o SET relayed_at = NULL
  FROM unnest(p_tenants, p_ids) AS lost(tenant_id, id)
  WHERE o.tenant_id = lost.tenant_id AND o.id = lost.id AND o.completed_at IS NULL AND o.relayed_at IS NOT NULL;
  GET DIAGNOSTICS v_count = ROW_COUNT;
  RETURN v_count;
END $$;
--> statement-breakpoint
-- The age in seconds of the oldest outbox row not completed (0 when none): the worker's health
-- and metric ...
CREATE FUNCTION worker_outbox_age() RETURNS double precision
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = pg_catalog, public AS $$
BEGIN
  PERFORM public.worker_caller();
  RETURN coalesce((SELECT extract(epoch FROM now() - min(o.created_at)) FROM public.outbox o WHERE o.completed_at IS NULL), 0);
END $$;
--> statement-breakpoint
-- ... and the national office's queue page.
CREATE FUNCTION national_outbox_age() RETURNS double precision
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = pg_catalog, public AS $$
BEGIN
  PERFORM public.national_caller(ARRAY['national_editor', 'national_reviewer']);
  RETURN coalesce((SELECT extract(epoch FROM now() - min(o.created_at)) FROM public.outbox o WHERE o.completed_at IS NULL), 0);
END $$;
--> statement-breakpoint
-- Rows relayed before this migration ran their jobs under the old rules: taken as completed.
CREATE FUNCTION outbox_completed_before_0040() RETURNS void
LANGUAGE sql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, public AS $$
  UPDATE public.outbox SET completed_at = relayed_at WHERE relayed_at IS NOT NULL AND completed_at IS NULL
$$;
--> statement-breakpoint
GRANT CREATE ON SCHEMA public TO delovod_directory;
--> statement-breakpoint
ALTER FUNCTION complete_outbox(uuid[], uuid[]) OWNER TO delovod_directory;
--> statement-breakpoint
ALTER FUNCTION stale_outbox(integer, integer) OWNER TO delovod_directory;
--> statement-breakpoint
ALTER FUNCTION unrelay_outbox(uuid[], uuid[]) OWNER TO delovod_directory;
--> statement-breakpoint
ALTER FUNCTION worker_outbox_age() OWNER TO delovod_directory;
--> statement-breakpoint
ALTER FUNCTION national_outbox_age() OWNER TO delovod_directory;
--> statement-breakpoint
ALTER FUNCTION outbox_completed_before_0040() OWNER TO delovod_directory;
--> statement-breakpoint
REVOKE CREATE ON SCHEMA public FROM delovod_directory;
--> statement-breakpoint
SELECT outbox_completed_before_0040();
--> statement-breakpoint
DROP FUNCTION outbox_completed_before_0040();
--> statement-breakpoint
REVOKE ALL ON FUNCTION complete_outbox(uuid[], uuid[]), stale_outbox(integer, integer), unrelay_outbox(uuid[], uuid[]), worker_outbox_age(), national_outbox_age() FROM PUBLIC;
--> statement-breakpoint
GRANT EXECUTE ON FUNCTION complete_outbox(uuid[], uuid[]), stale_outbox(integer, integer), unrelay_outbox(uuid[], uuid[]), worker_outbox_age(), national_outbox_age() TO delovod_app;
