// A job is data (DESIGN §6): a name, a version, a zod payload schema (ids only, always the
// tenant) and an idempotent handler. Recurring work is a schedule: a handler with no payload
// that crosses tenants only through the named definer functions.
import type * as z from 'zod';
import type { Database } from '#db/client';
import type { Logger } from '#app/logger.server';
import type { Mailer } from './email/transport';
import { jobKinds, type JobKind, type PayloadOf, type QueueName } from './kinds';

export interface JobContext {
  db: Database;
  mailer: Mailer;
  log: Logger;
  /** The worker's clock (tests move it). */
  now(): Date;
}

export interface JobRun {
  /** The outbox row's id: the BullMQ job id, and the key of anything done exactly once. */
  outboxId: string;
  /** 1 on the first run. */
  attempt: number;
}

export interface JobDefinition<K extends JobKind = JobKind> {
  name: K;
  version: number;
  /** Both from the kind (kinds.ts). */
  queue: QueueName;
  schema: z.ZodType<PayloadOf<K>>;
  handler(payload: PayloadOf<K>, ctx: JobContext, run: JobRun): Promise<void>;
}

/** A kind's handler; its queue and payload schema are the kind's own (kinds.ts). */
export function defineJob<K extends JobKind>(job: Pick<JobDefinition<K>, 'name' | 'version' | 'handler'>): JobDefinition<K> {
  const kind = jobKinds[job.name];
  return { ...job, queue: kind.queue, schema: kind.payload as unknown as z.ZodType<PayloadOf<K>> };
}

export interface ScheduleDefinition {
  name: string;
  /** Either a fixed interval or a cron pattern, read on Belgrade's clock (the offices' hours). */
  every?: number;
  pattern?: string;
  /**
   * How often the in-process runner of the demo fires it. Cron-timed schedules are idempotent
   * per period (a month's report exists once), so an hourly check is the same schedule there.
   */
  inlineEvery: number;
  handler(ctx: JobContext): Promise<unknown>;
}

export function defineSchedule(schedule: ScheduleDefinition): ScheduleDefinition {
  return schedule;
}
