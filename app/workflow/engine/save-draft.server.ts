// The author's draft, saved as typed, with its attachments.
import { and, eq, inArray } from 'drizzle-orm';
import { createHash } from 'node:crypto';
import type { Tx } from '#db/client';
import { documentAttachments } from '#db/schema';
import { AppError } from '../../errors';
import { submissionSchema } from '../template/form';
import { formatMessage } from '../template/messages';
import type { TemplateVersion } from '../template/schema';
import type { Actor } from './actor';
import { correctionOf, withAggregates } from './aggregates.server';
import { definitionOf } from './definitions.server';
import { bump, fieldErrorsOf, lockDocument, type DocumentRow, type FieldErrors, type RawValues, type Visibility } from './transition.server';

export interface Upload {
  fileName: string;
  contentType: string;
  content: Buffer;
}

/** Uploads per attachment field, and attachment ids the author chose to remove. */
export interface AttachmentChanges {
  uploads?: Record<string, Upload[]>;
  remove?: string[];
}

/**
 * Stores uploaded files under the tenant's RLS and returns each attachment field's ids. Size,
 * type and count limits are the field's own; a refused file refuses the whole save.
 */
async function applyAttachments(tx: Tx, actor: Actor, doc: DocumentRow, def: TemplateVersion, values: Record<string, unknown>, changes: AttachmentChanges) {
  const errors: FieldErrors = {};
  const removed = new Set(changes.remove ?? []);
  for (const field of def.fields) {
    if (field.type !== 'attachment' || !field.editableAt.includes('draft')) continue;
    const kept = (Array.isArray(values[field.name]) ? (values[field.name] as string[]) : []).filter((id) => !removed.has(id));
    const uploads = (changes.uploads?.[field.name] ?? []).filter((u) => u.content.length > 0);
    for (const u of uploads) {
      if (u.content.length > field.maxSizeMb * 1024 * 1024) (errors[field.name] ??= []).push(formatMessage(actor.locale, 'fileTooLarge', { name: u.fileName, max: field.maxSizeMb }));
      else if (!field.accept.includes(u.contentType)) (errors[field.name] ??= []).push(formatMessage(actor.locale, 'fileTypeNotAllowed', { name: u.fileName, types: field.accept.join(', ') }));
    }
    if (kept.length + uploads.length > field.maxFiles) (errors[field.name] ??= []).push(formatMessage(actor.locale, 'tooManyFiles', { max: field.maxFiles }));
    if (errors[field.name]) continue;
    const ids = [...kept];
    for (const u of uploads) {
      const [row] = await tx
        .insert(documentAttachments)
        .values({
          tenantId: actor.tenantId,
          documentId: doc.id,
          field: field.name,
          fileName: u.fileName.slice(0, 200),
          contentType: u.contentType,
          size: u.content.length,
          sha256: createHash('sha256').update(u.content).digest('hex'),
          content: u.content,
          uploadedById: actor.membershipId,
        })
        .returning({ id: documentAttachments.id });
      ids.push(row.id);
    }
    values[field.name] = ids;
  }
  if (Object.keys(errors).length) throw new AppError('invalid', 'attachment refused', { fieldErrors: errors });
  if (removed.size) {
    await tx
      .delete(documentAttachments)
      .where(and(eq(documentAttachments.tenantId, actor.tenantId), eq(documentAttachments.documentId, doc.id), inArray(documentAttachments.id, [...removed])));
  }
}

/** Saves the author's draft exactly as typed: nothing is checked that would lose input. */
export async function saveDraft(
  tx: Tx,
  actor: Actor,
  documentId: string,
  expectedVersion: number,
  raw: RawValues,
  attachments: AttachmentChanges = {},
  visible?: Visibility,
): Promise<DocumentRow> {
  const doc = await lockDocument(tx, actor, documentId, expectedVersion, visible);
  if (doc.authorId !== actor.membershipId) throw new AppError('forbidden', 'only the author edits a draft');
  if (doc.state !== 'draft' && doc.state !== 'returned') throw new AppError('conflict', 'not editable', { code: 'notEditable', state: doc.state });
  const def = await definitionOf(tx, doc.versionId);
  const editable = new Set(def.fields.filter((f) => f.editableAt.includes('draft') && f.type !== 'attachment').map((f) => f.name));
  // A correction pays the month and person of the slip it corrects: those stay as they are.
  if (doc.correctsId && def.aggregate) for (const name of [def.aggregate.periodField, ...Object.keys(def.aggregate.match)]) editable.delete(name);
  const values = { ...(doc.values as Record<string, unknown>) };
  const typed = Object.fromEntries(Object.entries(raw).filter(([name]) => editable.has(name)));
  // A draft may leave required fields empty, but every value it keeps holds the field's bounds
  // (length, range, a real date) as a submission's would (issue 23): refused beside the field.
  const checked = submissionSchema(def, { locale: actor.locale, partial: true }).safeParse({ ...values, ...typed });
  if (!checked.success) {
    const fieldErrors = Object.fromEntries(Object.entries(fieldErrorsOf(checked.error.issues)).filter(([name]) => name in typed));
    if (Object.keys(fieldErrors).length) throw new AppError('invalid', 'draft value out of bounds', { fieldErrors });
  }
  Object.assign(values, typed);
  await applyAttachments(tx, actor, doc, def, values, attachments);
  return bump(tx, doc, { values: await withAggregates(tx, actor.tenantId, def, values, correctionOf(doc)) });
}
