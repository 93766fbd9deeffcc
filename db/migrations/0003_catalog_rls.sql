-- The catalog is global: every tenant reads it; only a transaction scoped to the national
-- office's tenant may write it (the app scopes national routes after their permission check).
CREATE FUNCTION in_national_scope() RETURNS boolean LANGUAGE sql STABLE SET search_path = pg_catalog, public AS $$
  SELECT EXISTS (
    SELECT 1 FROM public.tenants
    WHERE kind = 'national' AND id = (SELECT nullif(current_setting('app.tenant_id', true), '')::uuid)
  )
$$;
--> statement-breakpoint
GRANT SELECT, INSERT, UPDATE, DELETE ON templates, template_versions TO delovod_app;
--> statement-breakpoint
ALTER TABLE templates ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE templates FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY catalog_read ON templates FOR SELECT USING (true);
--> statement-breakpoint
CREATE POLICY catalog_insert ON templates FOR INSERT WITH CHECK ((SELECT in_national_scope()));
--> statement-breakpoint
CREATE POLICY catalog_update ON templates FOR UPDATE USING ((SELECT in_national_scope())) WITH CHECK ((SELECT in_national_scope()));
--> statement-breakpoint
CREATE POLICY catalog_delete ON templates FOR DELETE USING ((SELECT in_national_scope()));
--> statement-breakpoint
ALTER TABLE template_versions ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE template_versions FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY catalog_read ON template_versions FOR SELECT USING (true);
--> statement-breakpoint
CREATE POLICY catalog_insert ON template_versions FOR INSERT WITH CHECK ((SELECT in_national_scope()));
--> statement-breakpoint
CREATE POLICY catalog_update ON template_versions FOR UPDATE USING ((SELECT in_national_scope())) WITH CHECK ((SELECT in_national_scope()));
--> statement-breakpoint
CREATE POLICY catalog_delete ON template_versions FOR DELETE USING ((SELECT in_national_scope()));
--> statement-breakpoint
-- A published version never changes: only its retirement and its adopt-by date may be set.
-- Drafts may be edited and deleted.
CREATE FUNCTION template_versions_immutable() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN
    IF OLD.status <> 'draft' THEN
      RAISE EXCEPTION 'published template versions are immutable' USING ERRCODE = 'insufficient_privilege';
    END IF;
    RETURN OLD;
  END IF;
  IF OLD.status <> 'draft' AND (
       NEW.definition IS DISTINCT FROM OLD.definition
    OR NEW.version <> OLD.version
    OR NEW.template_id <> OLD.template_id
    OR NEW.published_at IS DISTINCT FROM OLD.published_at
    OR NEW.published_by IS DISTINCT FROM OLD.published_by
    OR NEW.status = 'draft'
    OR (OLD.status = 'retired' AND NEW.status <> 'retired')
  ) THEN
    RAISE EXCEPTION 'published template versions are immutable' USING ERRCODE = 'insufficient_privilege';
  END IF;
  RETURN NEW;
END $$;
--> statement-breakpoint
CREATE TRIGGER template_versions_immutable BEFORE UPDATE OR DELETE ON template_versions
  FOR EACH ROW EXECUTE FUNCTION template_versions_immutable();
--> statement-breakpoint
GRANT SELECT, INSERT, UPDATE, DELETE ON adoptions TO delovod_app;
--> statement-breakpoint
ALTER TABLE adoptions ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE adoptions FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY tenant_isolation ON adoptions
  USING (tenant_id = (SELECT nullif(current_setting('app.tenant_id', true), '')::uuid))
  WITH CHECK (tenant_id = (SELECT nullif(current_setting('app.tenant_id', true), '')::uuid));
--> statement-breakpoint
-- The national office's view of adoption: counts per version, never a tenant's row.
CREATE POLICY directory_read ON adoptions FOR SELECT TO delovod_directory USING (true);
--> statement-breakpoint
GRANT SELECT ON adoptions TO delovod_directory;
--> statement-breakpoint
CREATE FUNCTION adoption_counts()
RETURNS TABLE (version_id uuid, tenants bigint)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, public AS $$
  SELECT a.version_id, count(DISTINCT a.tenant_id) FROM public.adoptions a GROUP BY a.version_id
$$;
--> statement-breakpoint
GRANT CREATE ON SCHEMA public TO delovod_directory;
--> statement-breakpoint
ALTER FUNCTION adoption_counts() OWNER TO delovod_directory;
--> statement-breakpoint
REVOKE CREATE ON SCHEMA public FROM delovod_directory;
--> statement-breakpoint
REVOKE ALL ON FUNCTION adoption_counts() FROM PUBLIC;
--> statement-breakpoint
GRANT EXECUTE ON FUNCTION adoption_counts() TO delovod_app;
