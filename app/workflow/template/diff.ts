import { toLatin } from '#app/i18n/transliterate';
import { ruleLibrary } from './rules';
import type { RuleUse, TemplateVersion } from './schema';

/**
 * What changed between two versions of a template, as a reader needs it: which field, step,
 * rule … was added, removed, moved or changed, and for a change which properties, with their
 * values before and after. Items are matched by what names them (field and computed names,
 * step ids, parameter names; rules and follow-ups by rule or template, in order), so a change
 * is reported once where it happened and not as a shift of everything after it. Texts are
 * `catalog.diff.<code>` with `params`; nothing here is worded.
 */

export type Path = (string | number)[];

export const DIFF_SECTIONS = [
  'general',
  'fields',
  'computed',
  'rules',
  'route',
  'numbering',
  'followUps',
  'aggregate',
  'tenantParameters',
] as const;
export type DiffSection = (typeof DIFF_SECTIONS)[number];
export type ChangeKind = 'added' | 'removed' | 'changed' | 'moved';

export interface PropertyChange {
  /** Inside the item (or inside the section for `general`, `numbering`, `aggregate`). */
  readonly path: Path;
  readonly before: unknown;
  readonly after: unknown;
}

export interface TemplateChange {
  readonly section: DiffSection;
  readonly kind: ChangeKind;
  /** Text key under `catalog.diff.`. */
  readonly code: `${DiffSection}.${ChangeKind}`;
  /** `name` names the item (field name, step id, rule …); `from`/`to` are 1-based positions of a move. */
  readonly params: { readonly name: string; readonly from?: number; readonly to?: number };
  /** Where the item is: in the newer version, or in the older one for a removal. */
  readonly path: Path;
  /** For `changed`, every property that differs; empty otherwise. */
  readonly properties: readonly PropertyChange[];
}

type Json = unknown;

function isPlainObject(v: Json): v is Record<string, Json> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

function deepEqual(a: Json, b: Json): boolean {
  if (a === b) return true;
  if (Array.isArray(a) || Array.isArray(b)) {
    return Array.isArray(a) && Array.isArray(b) && a.length === b.length && a.every((x, i) => deepEqual(x, b[i]));
  }
  if (isPlainObject(a) && isPlainObject(b)) {
    const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
    return [...keys].every((k) => deepEqual(a[k], b[k]));
  }
  return false;
}

const isLabels = (v: Json): v is Record<string, string> => isPlainObject(v) && typeof v['sr-Cyrl'] === 'string' && typeof v.en === 'string';
const derivedLatin = (l: Record<string, string>) => l['sr-Latn'] === undefined || l['sr-Latn'] === toLatin(l['sr-Cyrl']);

/**
 * Leaves that differ. Objects are compared key by key; arrays and scalars as whole values
 * (a list of options or of steps that may edit a field reads best side by side). A Latin
 * label derived from the Cyrillic one on both sides is not a change of its own.
 */
function leafChanges(before: Json, after: Json, path: Path = []): PropertyChange[] {
  if (deepEqual(before, after)) return [];
  if (isPlainObject(before) && isPlainObject(after)) {
    const skipLatin = isLabels(before) && isLabels(after) && derivedLatin(before) && derivedLatin(after);
    const keys = [...new Set([...Object.keys(after), ...Object.keys(before)])];
    return keys
      .filter((k) => !(skipLatin && k === 'sr-Latn'))
      .flatMap((k) => leafChanges(before[k], after[k], [...path, k]));
  }
  return [{ path, before, after }];
}

/** Identity of list items: the name, or for repeatable ones the name with its occurrence. */
function keyed<T>(items: readonly T[], name: (item: T) => string): { key: string; name: string; item: T; index: number }[] {
  const seen = new Map<string, number>();
  return items.map((item, index) => {
    const n = name(item);
    const occurrence = seen.get(n) ?? 0;
    seen.set(n, occurrence + 1);
    return { key: `${n}\u0000${occurrence}`, name: n, item, index };
  });
}

/** Indices (into `b`) of the longest common subsequence of two key sequences. */
function stayedInOrder(a: readonly string[], b: readonly string[]): Set<number> {
  const n = a.length;
  const m = b.length;
  const len: number[][] = Array.from({ length: n + 1 }, () => new Array<number>(m + 1).fill(0));
  for (let i = n - 1; i >= 0; i--) {
    for (let j = m - 1; j >= 0; j--) len[i][j] = a[i] === b[j] ? len[i + 1][j + 1] + 1 : Math.max(len[i + 1][j], len[i][j + 1]);
  }
  const kept = new Set<number>();
  for (let i = 0, j = 0; i < n && j < m; ) {
    if (a[i] === b[j]) {
      kept.add(j);
      i++;
      j++;
    } else if (len[i + 1][j] >= len[i][j + 1]) i++;
    else j++;
  }
  return kept;
}

function change(section: DiffSection, kind: ChangeKind, name: string, path: Path, properties: PropertyChange[] = [], moved?: { from: number; to: number }): TemplateChange {
  return { section, kind, code: `${section}.${kind}`, params: moved ? { name, ...moved } : { name }, path, properties };
}

function diffList<T>(section: DiffSection, a: readonly T[], b: readonly T[], name: (item: T) => string, ordered: boolean): TemplateChange[] {
  const before = keyed(a, name);
  const after = keyed(b, name);
  const inA = new Map(before.map((x) => [x.key, x]));
  const inB = new Map(after.map((x) => [x.key, x]));
  const changes: TemplateChange[] = [];
  for (const x of before) if (!inB.has(x.key)) changes.push(change(section, 'removed', x.name, [section, x.index]));

  const common = after.filter((x) => inA.has(x.key));
  const kept = ordered ? stayedInOrder(before.filter((x) => inB.has(x.key)).map((x) => x.key), common.map((x) => x.key)) : undefined;
  const commonPosition = new Map(common.map((x, i) => [x.key, i]));
  for (const x of after) {
    const old = inA.get(x.key);
    if (!old) {
      changes.push(change(section, 'added', x.name, [section, x.index]));
      continue;
    }
    if (kept && !kept.has(commonPosition.get(x.key)!)) {
      changes.push(change(section, 'moved', x.name, [section, x.index], [], { from: old.index + 1, to: x.index + 1 }));
    }
    const properties = leafChanges(old.item, x.item);
    if (properties.length) changes.push(change(section, 'changed', x.name, [section, x.index], properties));
  }
  return changes;
}

function diffObject(section: DiffSection, a: Json, b: Json, path: Path): TemplateChange[] {
  if (a === undefined && b === undefined) return [];
  if (a === undefined) return [change(section, 'added', section, path)];
  if (b === undefined) return [change(section, 'removed', section, path)];
  const properties = leafChanges(a, b);
  return properties.length ? [change(section, 'changed', section, path, properties)] : [];
}

/** A rule's parameters with its defaults written out: leaving a default implicit changes nothing. */
function withDefaults(use: RuleUse): RuleUse {
  const parsed = ruleLibrary.get(use.rule)?.params.safeParse(use.params);
  return parsed?.success ? { ...use, params: parsed.data as Record<string, unknown> } : use;
}

const general = (d: TemplateVersion) => ({
  title: d.title,
  description: d.description,
  category: d.category,
  classification: d.classification,
});

/** Every change from `a` to `b`, section by section in the order of the definition. */
export function diffTemplates(a: TemplateVersion, b: TemplateVersion): TemplateChange[] {
  return [
    ...diffObject('general', general(a), general(b), []),
    // The order of fields is the order of the form, and the order of steps is the approval line.
    ...diffList('fields', a.fields, b.fields, (f) => f.name, true),
    ...diffList('computed', a.computed, b.computed, (c) => c.name, false),
    ...diffList('rules', a.rules.map(withDefaults), b.rules.map(withDefaults), (r) => r.rule, false),
    ...diffList('route', a.route, b.route, (s) => s.id, true),
    ...diffObject('numbering', a.numbering, b.numbering, ['numbering']),
    ...diffList('followUps', a.followUps, b.followUps, (f) => f.template, false),
    ...diffObject('aggregate', a.aggregate, b.aggregate, ['aggregate']),
    ...diffList('tenantParameters', a.tenantParameters, b.tenantParameters, (p) => p.name, false),
  ];
}
