// Registration asks for its document's seal (ADR 012) by writing the job's outbox row in the
// registering transaction: the request commits, or rolls back, with the registration.
import type { Tx } from '#db/client';
import { enqueue } from '#jobs/kinds';

export const SEAL_JOB = 'documents.seal' as const;

export function requestSeal(tx: Tx, tenantId: string, documentId: string) {
  return enqueue(tx, { name: SEAL_JOB, payload: { tenantId, documentId } });
}
