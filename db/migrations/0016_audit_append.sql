-- A tenant's audit events are appended by one statement: the chain head is locked, the events
-- are hashed and inserted, and the head moves, all inside PostgreSQL. Before, the head was read
-- (and locked) in one round trip and written in the next, so every audited change of a tenant
-- waited on the Node process of the change ahead of it; now the lock lasts as long as this
-- function and the COMMIT sent right behind it.
--
-- hash = sha256(prev_hash ‖ canonical event), exactly as db/audit.ts's chainHash computes it and
-- the verifier checks it. The caller canonicalises each event itself (RFC 8785) and sends the
-- text in three pieces around the two values only the head can give: the moment (ISO 8601, UTC,
-- milliseconds, as JavaScript's toISOString writes it) and the position in the chain.
-- SECURITY INVOKER: row level security applies to the caller as to its own inserts.
CREATE FUNCTION audit_append(p_tenant uuid, p_events jsonb) RETURNS bigint
LANGUAGE plpgsql SET search_path = pg_catalog, public AS $$
DECLARE
  v_seq bigint;
  v_hash text;
  v_next text;
  v_at timestamptz;
  v_iso text;
  v_event jsonb;
BEGIN
  INSERT INTO public.audit_heads AS h (tenant_id, seq, hash) VALUES (p_tenant, 0, repeat('0', 64))
  ON CONFLICT (tenant_id) DO UPDATE SET seq = h.seq
  RETURNING h.seq, h.hash INTO v_seq, v_hash;
  -- Taken once the head is held, so a tenant's events are in time order as well as in seq order.
  v_at := date_trunc('milliseconds', clock_timestamp());
  v_iso := to_char(v_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"');
  FOR v_event IN SELECT value FROM jsonb_array_elements(p_events) LOOP
    v_seq := v_seq + 1;
    v_next := encode(sha256(convert_to(v_hash || (v_event->>'beforeAt') || v_iso || (v_event->>'beforeSeq') || v_seq::text || (v_event->>'afterSeq'), 'UTF8')), 'hex');
    INSERT INTO public.audit_events (tenant_id, seq, occurred_at, actor_user_id, on_behalf_of_user_id, ip, user_agent, type, subject_type, subject_id, data, prev_hash, hash)
    VALUES (p_tenant, v_seq, v_at, (v_event->>'actorUserId')::uuid, (v_event->>'onBehalfOfUserId')::uuid, v_event->>'ip', v_event->>'userAgent',
      v_event->>'type', v_event->>'subjectType', v_event->>'subjectId', v_event->'data', v_hash, v_next);
    v_hash := v_next;
  END LOOP;
  UPDATE public.audit_heads SET seq = v_seq, hash = v_hash WHERE tenant_id = p_tenant;
  RETURN v_seq;
END
$$;
--> statement-breakpoint
REVOKE ALL ON FUNCTION audit_append(uuid, jsonb) FROM PUBLIC;
--> statement-breakpoint
GRANT EXECUTE ON FUNCTION audit_append(uuid, jsonb) TO delovod_app;
