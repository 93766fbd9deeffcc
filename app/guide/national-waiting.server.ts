// What waits for the national office, for its home page: applications to review, jobs that
// failed, and template versions whose adopt-by date is near. Counts and catalog rows only.
import { and, asc, count, eq, gte, lte, min, sql } from 'drizzle-orm';
import type { Queryable } from '#db/client';
import { signupRequests, templates, templateVersions } from '#db/schema';
import { readQueues, type QueueConfig } from '../operations/queues.server';
import { addDays } from '../time/days.server';

/** How far ahead an adopt-by date counts as near. */
export const ADOPT_BY_NEAR_DAYS = 30;

export interface NationalWaiting {
  signups: { count: number; oldest: string | null };
  /** null: the queue could not be asked (Redis away); in-process mode counts outbox retries. */
  failedJobs: number | null;
  adoptBy: AdoptByNear[];
}

/** A published version with its adopt-by date, named by its title in each locale (a key means nothing to a reader). */
export interface AdoptByNear {
  key: string;
  version: number;
  adoptBy: string;
  title: Record<'sr-Cyrl' | 'sr-Latn' | 'en', string | undefined>;
}

export async function signupsWaiting(db: Queryable) {
  const [row] = await db.select({ n: count(), oldest: min(signupRequests.submittedAt) }).from(signupRequests).where(eq(signupRequests.status, 'submitted'));
  return { count: row?.n ?? 0, oldest: row?.oldest ? new Date(row.oldest).toISOString() : null };
}

export function adoptByNear(db: Queryable, today: string) {
  return db
    .select({ key: templates.key, version: templateVersions.version, adoptBy: templateVersions.adoptBy, title: sql<AdoptByNear['title']>`${templateVersions.definition} -> 'title'` })
    .from(templateVersions)
    .innerJoin(templates, eq(templates.id, templateVersions.templateId))
    .where(and(eq(templateVersions.status, 'published'), gte(templateVersions.adoptBy, today), lte(templateVersions.adoptBy, addDays(today, ADOPT_BY_NEAR_DAYS))))
    .orderBy(asc(templateVersions.adoptBy)) as Promise<AdoptByNear[]>;
}

/** Failed jobs over every queue, or null when Redis does not answer. */
export async function failedJobs(config: QueueConfig): Promise<number | null> {
  const queues = await readQueues(config);
  return queues.ok ? queues.value.reduce((n, q) => n + q.counts.failed, 0) : null;
}
