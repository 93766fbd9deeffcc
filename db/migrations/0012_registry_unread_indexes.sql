DROP INDEX "documents_registry_uq";--> statement-breakpoint
CREATE INDEX "documents_registered_template_idx" ON "documents" USING btree ("tenant_id","template_id") WHERE "documents"."registry_number" is not null;--> statement-breakpoint
CREATE INDEX "notifications_unread_idx" ON "notifications" USING btree ("tenant_id","recipient_id") WHERE "notifications"."read_at" is null;--> statement-breakpoint
CREATE UNIQUE INDEX "documents_registry_uq" ON "documents" USING btree ("tenant_id","registry_year","registry_class","registry_seq") WHERE "documents"."registry_number" is not null;