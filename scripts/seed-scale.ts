// npm run seed:scale -- [--tenants N] [--staff N] [--documents N] [--database-url URL] [--reset] [--seed N]
// Fills a PostgreSQL database with a country at national scale for the benchmarks: progress on
// stderr, one JSON line on stdout at the end (the runtime URL and a large tenant's sign-in).
import { parseScaleArgs, seedScale } from './scale/seed';

const options = parseScaleArgs(process.argv.slice(2));
const result = await seedScale(options, (line) => process.stderr.write(`${line}\n`));
const t = result.largestTenant;
process.stderr.write(
  [
    `Seeded ${result.documents.toLocaleString('en')} documents in ${result.tenants} bodies (${result.staff.toLocaleString('en')} staff) in ${result.seconds.total} s.`,
    `Largest: ${t.name} (/t/${t.slug}), ${t.staff} staff. Sign in as ${t.signIn.email} / ${t.signIn.password} (${t.signIn.roles.join(', ')}, ${t.signIn.pendingSteps} approvals waiting).`,
    `DATABASE_URL=${result.databaseUrl}`,
    '',
  ].join('\n'),
);
console.log(JSON.stringify(result));
