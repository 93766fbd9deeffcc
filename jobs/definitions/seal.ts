// Sealing a registered document's PDF (ADR 012), requested by the registration itself. Running
// it again — a retry, a re-relayed outbox row, a download that sealed first — finds the stored
// seal and changes nothing.
import { z } from 'zod';
import { SEAL_JOB } from '#app/workflow/sealing/request-seal.server';
import { sealedDocumentPdf } from '#app/workflow/sealing/seal-document.server';
import { defineJob } from '../job';

export const sealDocument = defineJob({
  name: SEAL_JOB,
  version: 1,
  queue: 'work',
  schema: z.object({ tenantId: z.uuid(), documentId: z.uuid() }),
  handler: async ({ tenantId, documentId }, ctx) => {
    await sealedDocumentPdf(ctx.db, { tenantId, documentId }, ctx.now());
  },
});
