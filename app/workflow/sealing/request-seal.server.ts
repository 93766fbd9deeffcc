// Registration asks for its document's seal (ADR 012) by writing the job's outbox row in the
// registering transaction: the request commits, or rolls back, with the registration.
import type { Tx } from '#db/client';
import { outbox } from '#db/schema';

export const SEAL_JOB = 'documents.seal';

export function requestSeal(tx: Tx, tenantId: string, documentId: string) {
  return tx.insert(outbox).values({ tenantId, job: SEAL_JOB, payload: { tenantId, documentId } });
}
