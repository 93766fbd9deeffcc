import type { TFunction } from 'i18next';
import { problemPlace, type Path } from '../workflow/publishing/editor-names';

const LANGS = new Set(['sr-Cyrl', 'sr-Latn', 'en']);
/** Keys whose children are names from the definition (parameters, rule inputs, carried fields), not properties. */
const NAMED_CHILDREN = new Set(['params', 'fields', 'carry', 'match', 'sum']);

/**
 * A property inside a template item in words: `['label', 'en']` → "Label (English)",
 * `['options', 0, 'value']` → "Options › 1 › Value", `['params', 'maxWeekHours']` → "Parameters › maxWeekHours".
 */
export function propertyLabel(t: TFunction, path: readonly (string | number)[]): string {
  const parts: string[] = [];
  path.forEach((seg, i) => {
    const parent = path[i - 1];
    if (typeof seg === 'number') parts.push(String(seg + 1));
    else if (LANGS.has(seg) && parts.length) parts[parts.length - 1] = t('catalog.editor.labelIn', { what: parts[parts.length - 1], lang: t(`catalog.editor.lang.${seg}`) });
    else if (typeof parent === 'string' && NAMED_CHILDREN.has(parent)) parts.push(seg);
    else parts.push(t(`catalog.diff.properties.${seg}`, { defaultValue: seg }));
  });
  return parts.join(' › ');
}

/** Where a problem at `path` of a definition is, in words: "Step 2 (hr) › Role". */
export function placeLabel(t: TFunction, path: Path, definition: unknown): string {
  if (path[0] === 'add' && typeof path[1] === 'string') {
    const where = t('catalog.editor.where.new', { section: t(`catalog.editor.itemNames.${path[1]}`) });
    return [where, propertyLabel(t, path.slice(2))].filter(Boolean).join(' › ');
  }
  const place = problemPlace(path, definition);
  let head: string;
  let rest: (string | number)[];
  if (place.index !== undefined) {
    const section = t(`catalog.editor.itemNames.${place.section}`);
    head = place.name
      ? t('catalog.editor.where.item', { section, n: place.index + 1, name: place.name })
      : t('catalog.editor.where.itemNoName', { section, n: place.index + 1 });
    rest = path.slice(2);
  } else if (place.section === 'general') {
    head = t('catalog.editor.where.general');
    rest = path;
  } else {
    head = t(`catalog.editor.sections.${place.section}`);
    rest = path.slice(1);
  }
  const property = propertyLabel(t, rest);
  return property ? `${head} › ${property}` : head;
}
