// Sealing a registered document's PDF (ADR 012), requested by the registration itself. Running
// it again — a retry, a re-relayed outbox row, a download that sealed first — finds the stored
// seal and changes nothing.
import { defineJob } from '../job';

export const sealDocument = defineJob({
  name: 'documents.seal',
  version: 1,
  handler: async ({ tenantId, documentId }, ctx) => {
    // The renderer and the document reads it needs load with the first seal, not with every
    // worker's start (under tsx they doubled the time a worker took to come up).
    const { sealedDocumentPdf } = await import('#app/workflow/sealing/seal-document.server');
    await sealedDocumentPdf(ctx.db, { tenantId, documentId }, ctx.now());
  },
});
