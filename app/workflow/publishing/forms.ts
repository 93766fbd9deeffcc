import * as z from 'zod';
import { isDate } from '../template/datetime';
import { CLASSIFICATION, SLUG } from '../template/schema';

// Messages are i18n keys in the `catalog` namespace, translated beside the fields.
const required = { error: 'form.required' };

export const newTemplateSchema = z.object({
  key: z.string(required).trim().max(64, 'catalog.errors.keyFormat').regex(SLUG, 'catalog.errors.keyFormat'),
  titleCyrl: z.string(required).trim().min(1, 'form.required').max(200),
  titleEn: z.string(required).trim().min(1, 'form.required').max(200),
  category: z.string(required).trim().max(64, 'catalog.errors.keyFormat').regex(SLUG, 'catalog.errors.keyFormat'),
  classification: z.string(required).trim().regex(CLASSIFICATION, 'catalog.errors.classificationFormat'),
});

export const adoptBySchema = z.object({
  intent: z.literal('adoptBy'),
  versionId: z.uuid(),
  adoptBy: z.iso.date({ error: 'catalog.errors.date' }).refine(isDate, 'catalog.errors.date').optional(),
});
