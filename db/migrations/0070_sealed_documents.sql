-- Sealed PDFs (docs/decisions/012-sealed-pdfs.md): each registered document's PDF as sealed,
-- stored once under the tenant's fail-closed isolation, and the deployment's test seal.
CREATE TABLE "sealed_documents" (
	"tenant_id" uuid NOT NULL,
	"document_id" uuid NOT NULL,
	"pdf" "bytea" NOT NULL,
	"sha256" text NOT NULL,
	"locale" text NOT NULL,
	"level" text NOT NULL,
	"test_seal" boolean NOT NULL,
	"holder" text NOT NULL,
	"certificate_sha256" text NOT NULL,
	"sealed_at" timestamp with time zone NOT NULL,
	CONSTRAINT "sealed_documents_tenant_id_document_id_pk" PRIMARY KEY("tenant_id","document_id")
);
--> statement-breakpoint
ALTER TABLE "sealed_documents" ADD CONSTRAINT "sealed_documents_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;
--> statement-breakpoint
ALTER TABLE "sealed_documents" ADD CONSTRAINT "sealed_documents_tenant_id_document_id_documents_tenant_id_id_fk" FOREIGN KEY ("tenant_id","document_id") REFERENCES "public"."documents"("tenant_id","id") ON DELETE cascade ON UPDATE no action;
--> statement-breakpoint
-- The stored bytes never change: the runtime role may add and read, not update or delete
-- (a tenant's deletion removes them through the foreign keys' cascade).
GRANT SELECT, INSERT ON sealed_documents TO delovod_app;
--> statement-breakpoint
ALTER TABLE sealed_documents ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE sealed_documents FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY tenant_isolation ON sealed_documents
  USING (tenant_id = (SELECT nullif(current_setting('app.tenant_id', true), '')::uuid))
  WITH CHECK (tenant_id = (SELECT nullif(current_setting('app.tenant_id', true), '')::uuid));
--> statement-breakpoint
CREATE TABLE "test_seals" (
	"id" integer PRIMARY KEY DEFAULT 1 NOT NULL,
	"p12" "bytea" NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "test_seals_one" CHECK ("test_seals"."id" = 1)
);
--> statement-breakpoint
GRANT SELECT, INSERT ON test_seals TO delovod_app;
