// Checks that what a form names exists: at submission and at a step that fills its own fields.
import { and, eq, inArray } from 'drizzle-orm';
import type { Tx } from '#db/client';
import { documents, memberships, orgUnits } from '#db/schema';
import { isUuid } from '../../ids';
import { formatMessage } from '../template/messages';
import type { TemplateVersion } from '../template/schema';
import type { Actor } from './actor';
import { templateIdOf } from './definitions.server';
import type { DocumentRow, FieldErrors } from './transition.server';

/** Staff, units and linked documents named in a form must exist in this tenant (and links be in the right state). */
export async function checkReferences(tx: Tx, actor: Actor, def: TemplateVersion, values: Record<string, unknown>): Promise<FieldErrors> {
  const errors: FieldErrors = {};
  for (const field of def.fields) {
    const id = values[field.name];
    if (typeof id !== 'string' || !id) continue;
    // Something that is not a row id names nothing: an answer beside the field, not a database error.
    if ((field.type === 'staff' || field.type === 'orgUnit' || field.type === 'document') && !isUuid(id)) {
      errors[field.name] = [formatMessage(actor.locale, 'invalidReference')];
      continue;
    }
    let found = false;
    if (field.type === 'staff') {
      const rows = await tx
        .select({ id: memberships.id })
        .from(memberships)
        .where(and(eq(memberships.tenantId, actor.tenantId), eq(memberships.id, id), eq(memberships.active, true)));
      found = rows.length > 0;
    } else if (field.type === 'orgUnit') {
      found = (await tx.select({ id: orgUnits.id }).from(orgUnits).where(and(eq(orgUnits.tenantId, actor.tenantId), eq(orgUnits.id, id)))).length > 0;
    } else if (field.type === 'document') {
      const templateId = await templateIdOf(tx, field.template);
      const rows = templateId
        ? await tx
            .select({ id: documents.id })
            .from(documents)
            .where(
              and(
                eq(documents.tenantId, actor.tenantId),
                eq(documents.id, id),
                eq(documents.templateId, templateId),
                inArray(documents.state, field.status as DocumentRow['state'][]),
              ),
            )
        : [];
      found = rows.length > 0;
    } else continue;
    if (!found) errors[field.name] = [formatMessage(actor.locale, 'invalidReference')];
  }
  return errors;
}
