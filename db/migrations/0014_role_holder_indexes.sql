CREATE INDEX "memberships_unit_head_idx" ON "memberships" USING btree ("tenant_id","org_unit_id") WHERE 'unit_head' = any("memberships"."roles");--> statement-breakpoint
CREATE INDEX "memberships_hr_idx" ON "memberships" USING btree ("tenant_id","org_unit_id") WHERE 'hr' = any("memberships"."roles");--> statement-breakpoint
CREATE INDEX "memberships_finance_idx" ON "memberships" USING btree ("tenant_id","org_unit_id") WHERE 'finance' = any("memberships"."roles");--> statement-breakpoint
CREATE INDEX "memberships_finance_head_idx" ON "memberships" USING btree ("tenant_id","org_unit_id") WHERE 'finance_head' = any("memberships"."roles");--> statement-breakpoint
CREATE INDEX "memberships_chief_admin_idx" ON "memberships" USING btree ("tenant_id","org_unit_id") WHERE 'chief_admin' = any("memberships"."roles");--> statement-breakpoint
CREATE INDEX "memberships_registry_clerk_idx" ON "memberships" USING btree ("tenant_id","org_unit_id") WHERE 'registry_clerk' = any("memberships"."roles");--> statement-breakpoint
CREATE INDEX "memberships_tenant_admin_idx" ON "memberships" USING btree ("tenant_id","org_unit_id") WHERE 'tenant_admin' = any("memberships"."roles");