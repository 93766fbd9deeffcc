-- The tenant parameters (premiums, rates) a document's computed values were computed with,
-- stored with them in the same statement: a registered pay slip states its basis from these
-- forever, whatever the tenant sets later. Rows computed before this migration keep NULL
-- (unknown): they state a basis only where today's parameters give their amounts, as before.
ALTER TABLE "documents" ADD COLUMN "computed_parameters" jsonb;
