// Every job's handler and every schedule, by name. Requesting a job is `enqueue` (kinds.ts), in
// the caller's transaction; nothing outside jobs/ needs this module.
import { invitationEmail, notificationEmail, passwordResetEmail, signupDecisionEmail, signupResumeEmail, signupSubmittedEmail } from './definitions/email';
import { reminderSweep } from './definitions/reminders';
import { buildReport, monthlyReports } from './definitions/reports';
import { sealDocument } from './definitions/seal';
import { mandatoryUpgrades } from './definitions/upgrades';
import type { JobDefinition, ScheduleDefinition } from './job';
import type { JobKind } from './kinds';

const definitions = [notificationEmail, invitationEmail, signupResumeEmail, signupSubmittedEmail, signupDecisionEmail, passwordResetEmail, buildReport, sealDocument] as const;

// Every kind has its handler: a kind added to kinds.ts without one does not compile.
type Unhandled = Exclude<JobKind, (typeof definitions)[number]['name']>;
const everyKindHandled: [Unhandled] extends [never] ? true : Unhandled = true;
void everyKindHandled;

export const jobs: ReadonlyMap<string, JobDefinition> = new Map(definitions.map((d) => [d.name, d as unknown as JobDefinition]));

export const schedules: readonly ScheduleDefinition[] = [reminderSweep, monthlyReports, mandatoryUpgrades];
