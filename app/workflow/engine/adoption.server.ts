// The tenant's adoption of a document's template: the version it pinned, the parameters it set
// and who fills its named positions.
import { and, eq, sql } from 'drizzle-orm';
import type { Tx } from '#db/client';
import { reusableSelect } from '#db/reusable';
import { adoptions, documents } from '#db/schema';
import { resolveTenantParameters } from '../template/parameters';
import type { TemplateVersion } from '../template/schema';
import type { DocumentRow } from './transition.server';

export async function adoptionOf(tx: Tx, tenantId: string, templateId: string) {
  const [row] = await tx.select().from(adoptions).where(and(eq(adoptions.tenantId, tenantId), eq(adoptions.templateId, templateId)));
  return row;
}

const adoptionOfDocumentSelect = reusableSelect((db) => {
  const tenantId = sql.placeholder('tenantId');
  return db
    .select()
    .from(adoptions)
    .where(and(eq(adoptions.tenantId, tenantId), sql`${adoptions.templateId} = (select template_id from ${documents} where tenant_id = ${tenantId} and id = ${sql.placeholder('documentId')})`));
});

/** The adoption of a document's template, read by the document's id (so it can go out before the document is back). */
export async function adoptionOfDocument(tx: Tx, tenantId: string, documentId: string) {
  const [row] = await adoptionOfDocumentSelect(tx, { tenantId, documentId });
  return row;
}

export function tenantSettingsOf(def: TemplateVersion, adoption: typeof adoptions.$inferSelect | undefined) {
  return { parameters: resolveTenantParameters(def, (adoption?.parameters ?? {}) as Record<string, number>), positions: (adoption?.positions ?? {}) as Record<string, string[]> };
}

export async function tenantParametersFor(tx: Tx, doc: Pick<DocumentRow, 'tenantId' | 'templateId'>, def: TemplateVersion) {
  return tenantSettingsOf(def, await adoptionOf(tx, doc.tenantId, doc.templateId));
}
