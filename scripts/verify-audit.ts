// npm run verify-audit -- <tenant-slug>… — re-computes each tenant's audit hash chain and
// reports the first broken link. Exit code 1 when any chain is broken.
import { verifyAuditChain } from '#db/audit';
import { tenants } from '#db/schema';
import { closeDatabase, openDatabase, withTenant } from '#app/db.server';

const slugs = process.argv.slice(2);
const { db } = await openDatabase();
const all = await db.select({ id: tenants.id, slug: tenants.slug }).from(tenants);
const chosen = slugs.length ? all.filter((t) => slugs.includes(t.slug)) : all;
const unknown = slugs.filter((s) => !all.some((t) => t.slug === s));
let broken = unknown.length > 0;
for (const s of unknown) console.error(`${s}: no such tenant`);
for (const t of chosen) {
  const verdict = await withTenant(t.id, (tx) => verifyAuditChain(tx, t.id));
  if (verdict.ok) console.log(`${t.slug}: intact (${verdict.events} events)`);
  else {
    broken = true;
    console.error(`${t.slug}: BROKEN at event ${verdict.seq} (${verdict.reason})`);
  }
}
await closeDatabase();
process.exit(broken ? 1 : 0);
