-- Jobs: reports and email deliveries under fail-closed tenant isolation, and the narrow
-- cross-tenant paths of the worker (docs/decisions/001-tenancy-rls.md, DESIGN §6): the outbox
-- relay's claim, the reminder sweep's list of due steps, the mandatory-upgrade scan and the
-- national aggregates. Each is a SECURITY DEFINER function owned by the NOLOGIN directory role
-- that returns ids or aggregates only; the runtime role may call them and nothing more.
GRANT SELECT, INSERT, UPDATE, DELETE ON reports, email_deliveries TO delovod_app;
--> statement-breakpoint
ALTER TABLE reports ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE reports FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY tenant_isolation ON reports
  USING (tenant_id = (SELECT nullif(current_setting('app.tenant_id', true), '')::uuid))
  WITH CHECK (tenant_id = (SELECT nullif(current_setting('app.tenant_id', true), '')::uuid));
--> statement-breakpoint
ALTER TABLE email_deliveries ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE email_deliveries FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY tenant_isolation ON email_deliveries
  USING (tenant_id = (SELECT nullif(current_setting('app.tenant_id', true), '')::uuid))
  WITH CHECK (tenant_id = (SELECT nullif(current_setting('app.tenant_id', true), '')::uuid));
--> statement-breakpoint
CREATE POLICY directory_relay_read ON outbox FOR SELECT TO delovod_directory USING (true);
--> statement-breakpoint
CREATE POLICY directory_relay_mark ON outbox FOR UPDATE TO delovod_directory USING (true) WITH CHECK (true);
--> statement-breakpoint
CREATE POLICY directory_read ON document_steps FOR SELECT TO delovod_directory USING (true);
--> statement-breakpoint
CREATE POLICY directory_read ON documents FOR SELECT TO delovod_directory USING (true);
--> statement-breakpoint
GRANT SELECT, UPDATE ON outbox TO delovod_directory;
--> statement-breakpoint
GRANT SELECT ON document_steps, documents, templates, template_versions TO delovod_directory;
--> statement-breakpoint
-- Claims a batch of due outbox rows of every tenant and marks them relayed. The caller runs it
-- in a transaction that commits only after the jobs are in the queue: if the queue refuses,
-- the rollback leaves the rows for the next attempt. SKIP LOCKED lets relays run side by side.
CREATE FUNCTION claim_outbox(p_limit integer)
RETURNS TABLE (tenant_id uuid, id uuid, job text, payload jsonb, attempts integer)
LANGUAGE sql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, public AS $$
  UPDATE public.outbox o SET relayed_at = now(), attempts = o.attempts + 1
  FROM (
    SELECT c.tenant_id, c.id FROM public.outbox c
    WHERE c.relayed_at IS NULL AND c.available_at <= now()
    ORDER BY c.available_at
    LIMIT p_limit
    FOR UPDATE SKIP LOCKED
  ) due
  WHERE o.tenant_id = due.tenant_id AND o.id = due.id
  RETURNING o.tenant_id, o.id, o.job, o.payload, o.attempts
$$;
--> statement-breakpoint
-- Pending steps past their due time that may still owe a reminder round (ids only); whether a
-- round is due now is decided per tenant on its business calendar.
CREATE FUNCTION overdue_steps(p_now timestamptz, p_max_rounds integer, p_limit integer)
RETURNS TABLE (tenant_id uuid, step_id uuid)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, public AS $$
  SELECT s.tenant_id, s.id FROM public.document_steps s
  WHERE s.state = 'pending' AND s.due_at <= p_now AND s.reminders_sent <= p_max_rounds
  ORDER BY s.due_at
  LIMIT p_limit
$$;
--> statement-breakpoint
-- Adoptions on a version older than one whose adoption deadline has passed, with the newest
-- such version (ids only).
CREATE FUNCTION overdue_adoptions(p_today date)
RETURNS TABLE (tenant_id uuid, adoption_id uuid, version_id uuid)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, public AS $$
  SELECT a.tenant_id, a.id, target.id
  FROM public.adoptions a
  JOIN public.template_versions cur ON cur.id = a.version_id
  JOIN LATERAL (
    SELECT v.id FROM public.template_versions v
    WHERE v.template_id = a.template_id AND v.status = 'published' AND v.adopt_by <= p_today AND v.version > cur.version
    ORDER BY v.version DESC LIMIT 1
  ) target ON true
$$;
--> statement-breakpoint
-- The national report's throughput: per tenant and template, documents started (submitted),
-- completed (approved or registered, or rejected) and the median hours from submission to the
-- final decision. Aggregates only: no document row leaves this function.
CREATE FUNCTION national_document_stats(p_from timestamptz, p_to timestamptz)
RETURNS TABLE (tenant_id uuid, template_key text, started bigint, completed bigint, median_hours double precision)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, public AS $$
  SELECT d.tenant_id, t.key,
    count(*),
    count(*) FILTER (WHERE d.state IN ('approved', 'registered', 'rejected')),
    percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM d.decided_at - d.submitted_at) / 3600)
      FILTER (WHERE d.state IN ('approved', 'registered', 'rejected') AND d.decided_at IS NOT NULL)
  FROM public.documents d JOIN public.templates t ON t.id = d.template_id
  WHERE d.submitted_at IS NOT NULL AND d.submitted_at >= p_from AND d.submitted_at < p_to
  GROUP BY d.tenant_id, t.key
$$;
--> statement-breakpoint
-- Taking ownership needs CREATE on the schema for a moment; the role keeps none.
GRANT CREATE ON SCHEMA public TO delovod_directory;
--> statement-breakpoint
ALTER FUNCTION claim_outbox(integer) OWNER TO delovod_directory;
--> statement-breakpoint
ALTER FUNCTION overdue_steps(timestamptz, integer, integer) OWNER TO delovod_directory;
--> statement-breakpoint
ALTER FUNCTION overdue_adoptions(date) OWNER TO delovod_directory;
--> statement-breakpoint
ALTER FUNCTION national_document_stats(timestamptz, timestamptz) OWNER TO delovod_directory;
--> statement-breakpoint
REVOKE CREATE ON SCHEMA public FROM delovod_directory;
--> statement-breakpoint
REVOKE ALL ON FUNCTION claim_outbox(integer), overdue_steps(timestamptz, integer, integer), overdue_adoptions(date), national_document_stats(timestamptz, timestamptz) FROM PUBLIC;
--> statement-breakpoint
GRANT EXECUTE ON FUNCTION claim_outbox(integer), overdue_steps(timestamptz, integer, integer), overdue_adoptions(date), national_document_stats(timestamptz, timestamptz) TO delovod_app;
