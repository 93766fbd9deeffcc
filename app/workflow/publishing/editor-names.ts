/**
 * Names shared by the template editor's page and its server side: sections, intents of the
 * buttons, input names (the definition's own paths) and the ids problems link to. Kept free of
 * the schema machinery so the page's bundle stays small.
 */

export type Path = (string | number)[];

const isRecord = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

export const EDITOR_LISTS = ['fields', 'computed', 'rules', 'route', 'followUps', 'tenantParameters'] as const;
export type EditorList = (typeof EDITOR_LISTS)[number];
export const EDITOR_SECTIONS = ['general', 'fields', 'computed', 'rules', 'route', 'numbering', 'followUps', 'tenantParameters'] as const;
export type EditorSection = (typeof EDITOR_SECTIONS)[number];

export type ItemPath = [EditorList, number] | ['fields', number, 'options', number];

export type EditorIntent =
  | { readonly type: 'save'; readonly section: EditorSection }
  | { readonly type: 'add'; readonly list: EditorList }
  | { readonly type: 'remove' | 'up' | 'down'; readonly path: ItemPath };

const isList = (s: string): s is EditorList => (EDITOR_LISTS as readonly string[]).includes(s);
const isSection = (s: string): s is EditorSection => (EDITOR_SECTIONS as readonly string[]).includes(s);
const INDEX = /^(0|[1-9][0-9]{0,2})$/;

/** `save:fields`, `add:route`, `remove:fields.2`, `up:fields.1.options.3` … */
export function parseIntent(raw: unknown): EditorIntent | undefined {
  if (typeof raw !== 'string') return undefined;
  const [type, target, ...rest] = raw.split(':');
  if (rest.length || target === undefined) return undefined;
  if (type === 'save') return isSection(target) ? { type, section: target } : undefined;
  if (type === 'add') return isList(target) ? { type, list: target } : undefined;
  if (type !== 'remove' && type !== 'up' && type !== 'down') return undefined;
  const parts = target.split('.');
  if (parts.length === 2 && isList(parts[0]) && INDEX.test(parts[1])) return { type, path: [parts[0], Number(parts[1])] };
  if (parts.length === 4 && parts[0] === 'fields' && INDEX.test(parts[1]) && parts[2] === 'options' && INDEX.test(parts[3])) {
    return { type, path: ['fields', Number(parts[1]), 'options', Number(parts[3])] };
  }
  return undefined;
}

export function intentValue(intent: EditorIntent): string {
  if (intent.type === 'save') return `save:${intent.section}`;
  if (intent.type === 'add') return `add:${intent.list}`;
  return `${intent.type}:${intent.path.join('.')}`;
}

// ---------------------------------------------------------------------------------------------
// Names and ids

/** The form name of a definition path; a quorum's `{ n }` is its own input. */
export function inputName(path: readonly (string | number)[]): string {
  let p = [...path];
  if (p[0] === 'route' && p[2] === 'parallel' && p[3] === 'quorum' && p[4] === 'n') p = [...p.slice(0, 3), 'n'];
  return p.reduce<string>((name, seg) => (typeof seg === 'number' ? `${name}[${seg}]` : name ? `${name}.${seg}` : seg), '');
}

/** An element id for a form name (brackets and dots are awkward in fragment links). */
export function inputId(name: string): string {
  return `in-${name.replace(/[[\].]+/g, '-').replace(/-$/, '')}`;
}

export const sectionId = (section: EditorSection | 'preview' | 'publish' | 'aggregate') => `section-${section}`;
export const itemId = (list: EditorList, index: number) => `${list}-${index}`;

const LANG = '(?:sr-Cyrl|sr-Latn|en)';
/** Names the editor renders an input (or a labelled group of checkboxes) for. */
const RENDERED = new RegExp(
  [
    `^(?:title|description)\\.${LANG}$`,
    '^(?:category|classification)$',
    `^fields\\[\\d+\\]\\.(?:name|type|required|editableAt|minLength|maxLength|pattern|min|max|scale|options|role|default|template|status|maxFiles|maxSizeMb|accept)$`,
    `^fields\\[\\d+\\]\\.(?:label|help)\\.${LANG}$`,
    `^fields\\[\\d+\\]\\.options\\[\\d+\\]\\.(?:value|label\\.${LANG})$`,
    `^computed\\[\\d+\\]\\.(?:name|expression|kind|rounding\\.decimals|rounding\\.mode|(?:label|help)\\.${LANG})$`,
    '^rules\\[\\d+\\]\\.(?:rule|params\\.[A-Za-z0-9]+|fields\\.[A-Za-z0-9]+)$',
    `^route\\[\\d+\\]\\.(?:id|kind|label\\.${LANG}|assignee\\.(?:type|role|position|field)|parallel\\.(?:group|quorum|n)|slaHours|blocking)$`,
    '^numbering\\.(?:register|at|classification)$',
    '^followUps\\[\\d+\\]\\.(?:template|when|mode|link|carry\\.[A-Za-z0-9]+)$',
    `^tenantParameters\\[\\d+\\]\\.(?:name|type|default|min|max|(?:label|help)\\.${LANG})$`,
    `^add\\.[a-zA-Z]+\\.(?:name|type|id|kind|rule|template|when|mode|default|expression|label\\.${LANG})$`,
  ].join('|'),
);

/**
 * Where a problem at `path` is shown: the input holding it, else the card of its item, else
 * its section. Lists of checkboxes are one group; an unknown key falls back to its item.
 */
export function anchorOf(path: readonly (string | number)[]): string {
  for (let n = path.length; n > 0; n--) {
    const name = inputName(path.slice(0, n));
    if (RENDERED.test(name)) return inputId(name);
  }
  const [section, index] = path;
  if (typeof section === 'string' && isList(section) && typeof index === 'number') return itemId(section, index);
  if (typeof section === 'string' && isSection(section)) return sectionId(section);
  if (section === 'aggregate') return sectionId('aggregate');
  return sectionId('general');
}

/** Where a path of a definition problem is, for its message: the section and, in a list, the item. */
export function problemPlace(path: Path, definition: unknown): { section: EditorSection | 'aggregate'; index?: number; name?: string } {
  const [section, index] = path;
  if (typeof section === 'string' && isList(section) && typeof index === 'number') {
    const list = isRecord(definition) && Array.isArray(definition[section]) ? (definition[section] as unknown[]) : [];
    const item = list[index];
    const name = isRecord(item) ? [item.name, item.id, item.rule, item.template].find((x) => typeof x === 'string') : undefined;
    return { section, index, name: name as string | undefined };
  }
  if (section === 'aggregate' || section === 'numbering') return { section };
  if (typeof section === 'string' && isList(section)) return { section };
  return { section: 'general' };
}

/** The path a form name stands for: `fields[2].label.en` → `['fields', 2, 'label', 'en']`. */
export function pathOfName(name: string): Path {
  return name
    .split(/\.|(?=\[)/)
    .filter((s) => s !== '')
    .map((s) => (/^\[\d+\]$/.test(s) ? Number(s.slice(1, -1)) : s));
}
