-- One month, one payment (issue 22): a periodic document (an employee's monthly overtime pay
-- slip) carries the key of what it pays, `<period>|<match values>`, set by the engine; a
-- corrective slip references the registered slip it corrects and pays only the difference.
ALTER TABLE "documents" ADD COLUMN "period_key" text, ADD COLUMN "corrects_id" uuid;--> statement-breakpoint
ALTER TABLE "documents" ADD CONSTRAINT "documents_tenant_id_corrects_id_documents_tenant_id_id_fk" FOREIGN KEY ("tenant_id","corrects_id") REFERENCES "public"."documents"("tenant_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
-- At most one ordinary slip per employee and month in approval or paid; a second one cannot
-- even enter the line, whatever the interleaving.
CREATE UNIQUE INDEX "documents_one_payment_uq" ON "documents" USING btree ("tenant_id","template_id","period_key") WHERE "documents"."period_key" is not null and "documents"."corrects_id" is null and "documents"."state" in ('in_approval', 'approved', 'registered');--> statement-breakpoint
-- At most one correction of a month in approval at a time: each pays the difference to what
-- the registered slips of the month already paid.
CREATE UNIQUE INDEX "documents_one_open_correction_uq" ON "documents" USING btree ("tenant_id","template_id","period_key") WHERE "documents"."period_key" is not null and "documents"."corrects_id" is not null and "documents"."state" in ('in_approval', 'approved');
--> statement-breakpoint
-- Slips already in approval or paid get their key, so a month paid before this migration is not
-- paid again; where a month already has several, the first (registered first, else made first)
-- holds the key and the others stay as they are. The owner reads every tenant's rows for this
-- one statement (row security is forced again right after, in the same transaction).
ALTER TABLE "documents" NO FORCE ROW LEVEL SECURITY;--> statement-breakpoint
UPDATE "documents" d SET "period_key" = d."values_month" || '|' || d."values_employee"
FROM "templates" t
WHERE t."id" = d."template_id" AND t."key" = 'overtime-pay-slip'
  AND d."values_month" IS NOT NULL AND d."values_employee" IS NOT NULL
  AND d."state" IN ('in_approval', 'approved', 'registered')
  AND d."id" = (
    SELECT d2."id" FROM "documents" d2
    WHERE d2."tenant_id" = d."tenant_id" AND d2."template_id" = d."template_id"
      AND d2."values_month" = d."values_month" AND d2."values_employee" = d."values_employee"
      AND d2."state" IN ('in_approval', 'approved', 'registered')
    ORDER BY d2."registered_at" NULLS LAST, d2."created_at", d2."id" LIMIT 1
  );--> statement-breakpoint
ALTER TABLE "documents" FORCE ROW LEVEL SECURITY;
