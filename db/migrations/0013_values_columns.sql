-- Who, which day and which month a document is about, as generated columns for the indexes
-- (under row level security an index condition on values->>'…' is not allowed: the JSON
-- operator is not leakproof). One ALTER TABLE, so the table is rewritten once.
DROP INDEX "documents_employee_date_idx";--> statement-breakpoint
DROP INDEX "documents_month_idx";--> statement-breakpoint
ALTER TABLE "documents"
  ADD COLUMN "values_employee" text GENERATED ALWAYS AS (("values"->>'employee')) STORED,
  ADD COLUMN "values_date" text GENERATED ALWAYS AS (("values"->>'date')) STORED,
  ADD COLUMN "values_month" text GENERATED ALWAYS AS (("values"->>'month')) STORED;--> statement-breakpoint
CREATE INDEX "documents_employee_date_idx" ON "documents" USING btree ("tenant_id","template_id","values_employee","values_date") WHERE "documents"."values_employee" is not null;--> statement-breakpoint
CREATE INDEX "documents_month_idx" ON "documents" USING btree ("tenant_id","template_id","values_month") WHERE "documents"."values_month" is not null;
