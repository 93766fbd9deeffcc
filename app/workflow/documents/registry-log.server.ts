// The registry log (delovodnik): the tenant's registered documents in registry-number order,
// filtered, paged by keyset (a page costs the same on the first and the thousandth page), and
// exported as CSV streamed in batches so a year's log never sits in memory at once.
import { and, asc, desc, eq, ilike, isNotNull, or, sql, type SQL } from 'drizzle-orm';
import type { AnyPgColumn, PgTable } from 'drizzle-orm/pg-core';
import { pipeline, Readable } from 'node:stream';
import * as z from 'zod';
import type { Tx } from '#db/client';
import { documents, memberships, orgUnits, registryCounters, templates, templateVersions, type DocumentState } from '#db/schema';
import { csvStream } from '../../csv/csv.server';
import { i18nFor } from '../../i18n/i18n';
import { scriptOf } from '../../i18n/resources';
import { inScript, toCyrillic, toLatin } from '../../i18n/transliterate';
import { isDate } from '../template/datetime';
import type { Locale } from '../template/labels';
import { CLASSIFICATION, SLUG } from '../template/schema';
import { definitionsOf } from '../engine/definitions.server';
import { belgradeDateTime } from '../../time/belgrade';

export interface RegistryFilter {
  year?: number;
  classification?: string;
  /** Template key. */
  template?: string;
  /** Registration dates, inclusive, 'YYYY-MM-DD' in Belgrade. */
  from?: string;
  to?: string;
  /** Free text over the registry number, the title and the author's name. */
  q?: string;
  order: 'asc' | 'desc';
}

/** A position in the log: the registry key of the row a page starts after (or ends before). */
export interface RegistryCursor {
  year: number;
  classification: string;
  seq: number;
}

export type FilterErrorCode = 'year' | 'classification' | 'template' | 'date' | 'range' | 'q';

const Q_MAX = 200;
const optional = (s: string | null) => (s === null || s.trim() === '' ? undefined : s.trim());

const filterFields = {
  year: z.coerce.number().int().min(1900).max(2999),
  classification: z.string().regex(CLASSIFICATION),
  template: z.string().max(64).regex(SLUG),
  from: z.string().refine(isDate),
  to: z.string().refine(isDate),
  q: z.string().max(Q_MAX),
} as const;

/**
 * Reads the filter from a query string. A value that cannot be used is left out of the filter
 * and reported by field, so the page still shows the log and says what was ignored.
 */
export function parseRegistryQuery(params: URLSearchParams): { filter: RegistryFilter; errors: Partial<Record<keyof typeof filterFields, FilterErrorCode>> } {
  const filter: RegistryFilter = { order: params.get('order') === 'asc' ? 'asc' : 'desc' };
  const errors: Partial<Record<keyof typeof filterFields, FilterErrorCode>> = {};
  for (const name of Object.keys(filterFields) as (keyof typeof filterFields)[]) {
    const raw = optional(params.get(name));
    if (raw === undefined) continue;
    const parsed = filterFields[name].safeParse(raw);
    if (parsed.success) Object.assign(filter, { [name]: parsed.data });
    else errors[name] = name === 'from' || name === 'to' ? 'date' : name;
  }
  if (filter.from && filter.to && filter.to < filter.from) {
    errors.to = 'range';
    delete filter.to;
  }
  return { filter, errors };
}

const CURSOR = /^(\d{4})_([0-9-]{1,40})_(\d{1,9})$/;

export function formatCursor(c: RegistryCursor): string {
  return `${c.year}_${c.classification}_${c.seq}`;
}

/** A cursor from a URL; a malformed one is no cursor (the first page), never an error. */
export function parseCursor(value: string | null): RegistryCursor | undefined {
  const m = value ? CURSOR.exec(value) : null;
  if (!m || !CLASSIFICATION.test(m[2])) return undefined;
  return { year: Number(m[1]), classification: m[2], seq: Number(m[3]) };
}

export interface RegistryEntry {
  id: string;
  registryNumber: string;
  year: number;
  classification: string;
  seq: number;
  registeredAt: Date;
  state: DocumentState;
  templateKey: string;
  title: { 'sr-Cyrl': string; 'sr-Latn'?: string; en: string };
  authorName: string;
  unitName: string | null;
  unitNameEn: string | null;
}

const escapeLike = (s: string) => s.replace(/[\\%_]/g, (c) => `\\${c}`);

/** A document's author, in a subquery on memberships. */
const authorOf = and(eq(memberships.tenantId, documents.tenantId), eq(memberships.id, documents.authorId))!;

function conditions(tenantId: string, filter: RegistryFilter): SQL[] {
  const where: SQL[] = [eq(documents.tenantId, tenantId), isNotNull(documents.registryNumber)];
  if (filter.year !== undefined) where.push(eq(documents.registryYear, filter.year));
  if (filter.classification) where.push(eq(documents.registryClass, filter.classification));
  if (filter.template) where.push(sql`${documents.templateId} = (select ${templates.id} from ${templates} where ${templates.key} = ${filter.template})`);
  // Day boundaries in Belgrade, written as bounds on the column so the index on it still serves.
  if (filter.from) where.push(sql`${documents.registeredAt} >= (${filter.from}::date::timestamp at time zone 'Europe/Belgrade')`);
  if (filter.to) where.push(sql`${documents.registeredAt} < ((${filter.to}::date + 1)::timestamp at time zone 'Europe/Belgrade')`);
  if (filter.q) {
    // Names and titles are stored in one script and searched for in either.
    const typed = `%${escapeLike(filter.q)}%`;
    const cyrillic = `%${escapeLike(toCyrillic(filter.q))}%`;
    const latin = `%${escapeLike(toLatin(filter.q))}%`;
    const title = (locale: string) => sql`(${templateVersions.definition} -> 'title' ->> ${locale})`;
    where.push(
      or(
        ilike(documents.registryNumber, typed),
        sql`exists (select 1 from ${memberships} where ${authorOf} and (${ilike(memberships.fullName, cyrillic)} or ${ilike(memberships.fullName, latin)}))`,
        sql`${documents.versionId} in (select ${templateVersions.id} from ${templateVersions} where ${or(ilike(title('sr-Cyrl'), cyrillic), ilike(title('en'), typed))})`,
      )!,
    );
  }
  return where;
}

const key = [documents.registryYear, documents.registryClass, documents.registrySeq] as const;

/**
 * The log's rows. The query reads one table, documents, along the registry's index: the author
 * and the unit are looked up for the rows it returns, and the kind of document and its title
 * come from the template version, which is immutable once published and cached
 * (`definitionOf`). Joined, the four other tables made PostgreSQL spend longer planning the
 * query than running it (1.3 ms and 0.6 ms for Belgrade's first page; about 0.2 ms each now),
 * and its plan for any tenant — which it keeps for a prepared statement when that looks
 * cheaper — took seconds.
 */
function query(tx: Tx, where: SQL[]) {
  // Nested, so drizzle keeps the table names it leaves off a one-table query's own columns.
  const lookup = <T,>(column: AnyPgColumn, table: PgTable, on: SQL) => sql<T>`(${sql`select ${column} from ${table} where ${on}`})`;
  const unitOf = and(eq(orgUnits.tenantId, documents.tenantId), eq(orgUnits.id, documents.authorUnitId))!;
  return tx
    .select({
      id: documents.id,
      registryNumber: documents.registryNumber,
      year: documents.registryYear,
      classification: documents.registryClass,
      seq: documents.registrySeq,
      registeredAt: documents.registeredAt,
      state: documents.state,
      versionId: documents.versionId,
      authorName: lookup<string>(memberships.fullName, memberships, authorOf),
      unitName: lookup<string | null>(orgUnits.name, orgUnits, unitOf),
      unitNameEn: lookup<string | null>(orgUnits.nameEn, orgUnits, unitOf),
    })
    .from(documents)
    .where(and(...where));
}

type Row = Awaited<ReturnType<typeof query>>[number];

async function entriesFrom(tx: Tx, rows: Row[]): Promise<RegistryEntry[]> {
  const defs = await definitionsOf(tx, rows.map((r) => r.versionId));
  // Field by field: a rest pattern (`{ versionId, ...r }`) copies each row through V8's slow path.
  return rows.map((r) => {
    const def = defs.get(r.versionId)!;
    return {
      id: r.id,
      registryNumber: r.registryNumber!,
      year: r.year!,
      classification: r.classification!,
      seq: r.seq!,
      registeredAt: r.registeredAt!,
      state: r.state,
      templateKey: def.key,
      title: def.title,
      authorName: r.authorName,
      unitName: r.unitName,
      unitNameEn: r.unitNameEn,
    };
  });
}

const cursorOf = (e: RegistryEntry): RegistryCursor => ({ year: e.year, classification: e.classification, seq: e.seq });

/** Rows strictly after (in the filter's order) or strictly before the cursor. */
function beyond(c: RegistryCursor, direction: 'after' | 'before', order: 'asc' | 'desc'): SQL {
  const greater = (direction === 'after') === (order === 'asc');
  return greater
    ? sql`(${documents.registryYear}, ${documents.registryClass}, ${documents.registrySeq}) > (${c.year}, ${c.classification}, ${c.seq})`
    : sql`(${documents.registryYear}, ${documents.registryClass}, ${documents.registrySeq}) < (${c.year}, ${c.classification}, ${c.seq})`;
}

export interface RegistryPage {
  entries: RegistryEntry[];
  total: number;
  /** Where the next and previous pages start, when there are such pages. */
  next: RegistryCursor | null;
  previous: RegistryCursor | null;
}

interface PageRequest {
  after?: RegistryCursor;
  before?: RegistryCursor;
  limit: number;
}

async function entriesOf(tx: Tx, tenantId: string, filter: RegistryFilter, page: PageRequest): Promise<Omit<RegistryPage, 'total'>> {
  const where = conditions(tenantId, filter);
  const backwards = !page.after && !!page.before;
  const cursor = page.after ?? page.before;
  const direction = (filter.order === 'asc') !== backwards ? asc : desc;
  const rows = await query(tx, cursor ? [...where, beyond(cursor, backwards ? 'before' : 'after', filter.order)] : where)
    .orderBy(...key.map((c) => direction(c)))
    .limit(page.limit + 1);
  const more = rows.length > page.limit;
  const entries = await entriesFrom(tx, rows.slice(0, page.limit));
  if (backwards) entries.reverse();
  const first = entries[0];
  const last = entries.at(-1);
  return {
    entries,
    next: last && (backwards || more) ? cursorOf(last) : null,
    previous: first && (backwards ? more : !!cursor) ? cursorOf(first) : null,
  };
}

/** One page of the log, with how many registered documents match the filter in all. */
export async function registryLog(tx: Tx, tenantId: string, filter: RegistryFilter, page: PageRequest): Promise<RegistryPage> {
  const [rows, total] = await Promise.all([entriesOf(tx, tenantId, filter, page), countOf(tx, tenantId, filter)]);
  return { ...rows, total };
}

async function countOf(tx: Tx, tenantId: string, filter: RegistryFilter): Promise<number> {
  // Numbers are gapless per year and classification (taken in the registering transaction), so
  // without other filters the counters are the count: no scan of a large tenant's log per page.
  if (!filter.template && !filter.q && !filter.from && !filter.to) {
    const [{ total }] = await tx
      .select({ total: sql<number>`coalesce(sum(${registryCounters.lastSeq}), 0)::int` })
      .from(registryCounters)
      .where(
        and(
          eq(registryCounters.tenantId, tenantId),
          filter.year !== undefined ? eq(registryCounters.year, filter.year) : undefined,
          filter.classification ? eq(registryCounters.classification, filter.classification) : undefined,
        ),
      );
    return total;
  }
  const [{ total }] = await tx
    .select({ total: sql<number>`count(*)::int` })
    .from(documents)
    .where(and(...conditions(tenantId, filter)));
  return total;
}

/** What the filter form offers: the years, classifications and kinds of document the log holds. */
export async function registryFacets(tx: Tx, tenantId: string) {
  // Years and classifications from the tenant's counters (one row each), kinds from the catalog
  // where the tenant has a registered document of them: nothing reads the whole log.
  const [counters, kinds] = await Promise.all([
    tx
      .select({ year: registryCounters.year, classification: registryCounters.classification })
      .from(registryCounters)
      .where(and(eq(registryCounters.tenantId, tenantId), sql`${registryCounters.lastSeq} > 0`)),
    tx
      .selectDistinctOn([templates.key], { key: templates.key, title: sql<RegistryEntry['title']>`${templateVersions.definition} -> 'title'` })
      .from(templates)
      .innerJoin(templateVersions, eq(templateVersions.templateId, templates.id))
      .where(
        and(
          sql`${templateVersions.status} <> 'draft'`,
          sql`exists (select 1 from ${documents} d where d.tenant_id = ${tenantId} and d.template_id = ${templates.id} and d.registry_number is not null)`,
        ),
      )
      .orderBy(asc(templates.key), desc(templateVersions.version)),
  ]);
  return {
    years: [...new Set(counters.map((r) => r.year))].sort((a, b) => b - a),
    classifications: [...new Set(counters.map((r) => r.classification))].sort(),
    templates: kinds,
  };
}

/** A title in the reader's locale; Latin is derived when the definition carries only Cyrillic. */
export function titleIn(title: RegistryEntry['title'], locale: Locale): string {
  if (locale === 'sr-Latn') return title['sr-Latn'] || toLatin(title['sr-Cyrl']);
  return title[locale];
}

/** One log line as a reader sees it, in the script of the locale. */
export function registryLine(e: RegistryEntry, locale: Locale) {
  const at = belgradeDateTime(e.registeredAt);
  return {
    id: e.id,
    number: e.registryNumber,
    registeredAt: `${at.date} ${at.time}`,
    year: e.year,
    classification: e.classification,
    seq: e.seq,
    document: titleIn(e.title, locale),
    author: inScript(e.authorName, scriptOf(locale)),
    unit: locale === 'en' ? e.unitNameEn : e.unitName && inScript(e.unitName, scriptOf(locale)),
    state: e.state,
  };
}

/** Runs a function in the tenant's scope (one transaction per call). */
export type TenantRunner = <T>(fn: (tx: Tx) => Promise<T>) => Promise<T>;

const CSV_BATCH = 500;

/**
 * The filtered log as CSV (the one writer, which neutralises formulas): UTF-8 with a byte-order
 * mark so Excel reads Cyrillic, the header in the reader's language, and the list separator Excel expects in that locale (';' where the
 * decimal mark is a comma, as in Serbian; ',' in English). Each batch is read in its own short
 * transaction, so a slow download holds no transaction open.
 */
export function registryLogCsv(run: TenantRunner, tenantId: string, filter: RegistryFilter, locale: Locale, options: { batch?: number } = {}): Readable {
  const t = i18nFor(locale).t;
  const columns = ['number', 'registeredAt', 'year', 'classification', 'seq', 'document', 'author', 'unit', 'state'] as const;
  async function* lines() {
    let after: RegistryCursor | undefined;
    for (;;) {
      const page = await run((tx) => entriesOf(tx, tenantId, filter, { after, limit: options.batch ?? CSV_BATCH }));
      for (const e of page.entries) {
        const line = registryLine(e, locale);
        yield { ...line, unit: line.unit ?? '', state: t(`registry.states.${line.state}`) };
      }
      if (!page.next) return;
      after = page.next;
    }
  }
  const csv = csvStream({ delimiter: locale === 'en' ? ',' : ';', columns: columns.map((key) => ({ key, header: t(`registry.csvColumns.${key}`) })) });
  // pipeline, not pipe: a failed batch ends the download with an error instead of a silently short file.
  return pipeline(Readable.from(lines()), csv, () => {});
}
