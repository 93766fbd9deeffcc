// Runs one job or schedule by name: the part the BullMQ worker and the in-process runner share.
import { UnrecoverableError } from 'bullmq';
import type { JobContext, JobRun } from './job';
import { jobs, schedules } from './registry';

export async function runJob(name: string, data: unknown, ctx: JobContext, run: JobRun): Promise<void> {
  const definition = jobs.get(name);
  if (!definition) throw new UnrecoverableError(`unknown job: ${name}`);
  const parsed = definition.schema.safeParse(data);
  // A payload that does not parse will not parse on a retry either.
  if (!parsed.success) throw new UnrecoverableError(`bad payload for ${name}: ${parsed.error.message}`);
  await definition.handler(parsed.data, ctx, run);
}

export async function runSchedule(name: string, ctx: JobContext): Promise<unknown> {
  const schedule = schedules.find((s) => s.name === name);
  if (!schedule) throw new UnrecoverableError(`unknown schedule: ${name}`);
  return schedule.handler(ctx);
}
