-- A registration's audit event can carry the registry number that the statement just ahead of it
-- in the same transaction wrote: audit_append reads it from the document. The number is then
-- taken, written and chained without a round trip back to Node in between, and the tenant's
-- registry counter (locked from the number's taking until COMMIT) is held for the statements
-- that follow it on the connection and the COMMIT, not for Node's turn as well.
--
-- An event asks for it with the piece `beforeNumber`: the canonical text up to where the number
-- goes (a JSON string, as RFC 8785 and PostgreSQL's jsonb output both write it); `beforeAt`
-- then continues from just after it. The number also goes into the stored data, under
-- `registryNumber`, so the event reads and verifies as if Node had written it.
CREATE OR REPLACE FUNCTION audit_append(p_tenant uuid, p_events jsonb) RETURNS bigint
LANGUAGE plpgsql SET search_path = pg_catalog, public AS $$
DECLARE
  v_seq bigint;
  v_hash text;
  v_next text;
  v_at timestamptz;
  v_iso text;
  v_event jsonb;
  v_number jsonb;
BEGIN
  INSERT INTO public.audit_heads AS h (tenant_id, seq, hash) VALUES (p_tenant, 0, repeat('0', 64))
  ON CONFLICT (tenant_id) DO UPDATE SET seq = h.seq
  RETURNING h.seq, h.hash INTO v_seq, v_hash;
  -- Taken once the head is held, so a tenant's events are in time order as well as in seq order.
  v_at := date_trunc('milliseconds', clock_timestamp());
  v_iso := to_char(v_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"');
  FOR v_event IN SELECT value FROM jsonb_array_elements(p_events) LOOP
    v_seq := v_seq + 1;
    v_number := NULL;
    IF v_event ? 'beforeNumber' THEN
      SELECT to_jsonb(d.registry_number) INTO v_number FROM public.documents d
      WHERE v_event->>'subjectType' = 'document' AND d.tenant_id = p_tenant AND d.id = (v_event->>'subjectId')::uuid AND d.registry_number IS NOT NULL;
      IF v_number IS NULL THEN
        RAISE EXCEPTION 'audit event % asks for the registry number of %, which has none', v_event->>'type', v_event->>'subjectId';
      END IF;
    END IF;
    v_next := encode(sha256(convert_to(v_hash || coalesce((v_event->>'beforeNumber') || v_number::text, '') || (v_event->>'beforeAt') || v_iso || (v_event->>'beforeSeq') || v_seq::text || (v_event->>'afterSeq'), 'UTF8')), 'hex');
    INSERT INTO public.audit_events (tenant_id, seq, occurred_at, actor_user_id, on_behalf_of_user_id, ip, user_agent, type, subject_type, subject_id, data, prev_hash, hash)
    VALUES (p_tenant, v_seq, v_at, (v_event->>'actorUserId')::uuid, (v_event->>'onBehalfOfUserId')::uuid, v_event->>'ip', v_event->>'userAgent',
      v_event->>'type', v_event->>'subjectType', v_event->>'subjectId',
      CASE WHEN v_number IS NULL THEN v_event->'data' ELSE jsonb_set(v_event->'data', '{registryNumber}', v_number) END, v_hash, v_next);
    v_hash := v_next;
  END LOOP;
  UPDATE public.audit_heads SET seq = v_seq, hash = v_hash WHERE tenant_id = p_tenant;
  RETURN v_seq;
END
$$;
