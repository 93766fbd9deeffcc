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
