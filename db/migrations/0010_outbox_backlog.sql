-- The outbox backlog for the national office's queue health page: how many requested jobs
-- have not reached a queue yet, how many of them are due now and how many were tried before.
-- Counts only, across tenants, through a SECURITY DEFINER function owned by the NOLOGIN
-- directory role (as in 0009_jobs_rls.sql); the runtime role may call it and nothing more.
CREATE FUNCTION outbox_backlog()
RETURNS TABLE (pending bigint, due bigint, retrying bigint)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, public AS $$
  SELECT count(*), count(*) FILTER (WHERE o.available_at <= now()), count(*) FILTER (WHERE o.attempts > 0)
  FROM public.outbox o
  WHERE o.relayed_at IS NULL
$$;
--> statement-breakpoint
-- Taking ownership needs CREATE on the schema for a moment; the role keeps none.
GRANT CREATE ON SCHEMA public TO delovod_directory;
--> statement-breakpoint
ALTER FUNCTION outbox_backlog() OWNER TO delovod_directory;
--> statement-breakpoint
REVOKE CREATE ON SCHEMA public FROM delovod_directory;
--> statement-breakpoint
REVOKE ALL ON FUNCTION outbox_backlog() FROM PUBLIC;
--> statement-breakpoint
GRANT EXECUTE ON FUNCTION outbox_backlog() TO delovod_app;
