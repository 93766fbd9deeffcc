// npm run bench:mime — a benchmark, not a test: the CPU a message costs to compose, with the MIME
// shortcut (jobs/email/mime.ts) and with nodemailer's MailComposer it stands in for, alternating,
// on the workflow's own reminder in Serbian Cyrillic. ADR 013: the shortcut goes when the two
// come within 10 % of each other per job (the worker's CPU a job is `npm run bench -- --only 6`).
import { parseMailbox, composeMime, type MimeEmail } from '#jobs/email/mime';
import { renderEmail } from '#jobs/email/render';
import { byMailComposer } from '#tests/support/mail-composer';

const rendered = renderEmail('step.reminder', 'sr-Cyrl', { title: 'Захтев за прековремени рад', number: '01-123/2026', step: 'Одобрење руководиоца', author: 'Никола Петровић', tenant: 'Град Београд', due: '28.11.2026. 14:00', round: 1, rounds: 3 }, 'https://delovod.example/t/beograd/documents/0f4c2a1e-5b6d-4c7e-8f90-123456789abc');
const email: MimeEmail = { ...rendered, from: parseMailbox('Деловод <no-reply@delovod.example>'), to: 'dragana.pavlovic@beograd.test', messageId: '<0f4c2a1e-5b6d-4c7e-8f90-123456789abc@delovod>', date: new Date() };
const N = Number(process.env.BENCH_MESSAGES ?? 3000);

async function cpuMicrosPerMessage(compose: () => unknown): Promise<number> {
  const before = process.cpuUsage();
  for (let i = 0; i < N; i++) await compose();
  const { user, system } = process.cpuUsage(before);
  return (user + system) / N;
}

for (let round = 1; round <= 3; round++) {
  const library = await cpuMicrosPerMessage(() => byMailComposer(email));
  const ours = await cpuMicrosPerMessage(() => composeMime(email));
  console.log(`round ${round}: MailComposer ${library.toFixed(1)} µs a message, the shortcut ${ours.toFixed(1)} µs (${N} messages each)`);
}
