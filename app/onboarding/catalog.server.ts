// The templates a signup may choose: the national catalog's published ones (all preselected,
// the standard set a new municipality starts with).
import { db } from '../db.server';
import { listCatalog } from '../workflow/publishing/catalog.server';

export interface CatalogChoice {
  key: string;
  title: Record<'sr-Cyrl' | 'sr-Latn' | 'en', string>;
}

export async function publishedTemplates(): Promise<CatalogChoice[]> {
  const entries = await listCatalog(db(), { includeDrafts: false });
  return entries.flatMap((e) => {
    const published = e.versions.find((v) => v.status === 'published');
    return published?.title ? [{ key: e.key, title: published.title }] : [];
  });
}
