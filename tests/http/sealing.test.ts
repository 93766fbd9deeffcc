// Sealed PDFs through HTTP against the built server, with no seal certificate configured (the
// deployment's self-signed test seal): a registered document downloads as its sealed original,
// which poppler's pdfsig validates and finds whole; the bytes are the same on every download,
// after the seal job has run and after a restart; a byte changed afterwards breaks the seal.
import { and, eq, sql } from 'drizzle-orm';
import { execFileSync } from 'node:child_process';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SEAL_JOB } from '#app/workflow/sealing/request-seal.server';
import type { Actor } from '#app/workflow/engine/actor';
import type { DocumentRow } from '#app/workflow/engine/transition.server';
import { rowsOf } from '#db/rows';
import { auditEvents, sealedDocuments } from '#db/schema';
import { createMailer } from '#jobs/email/transport';
import { runJob } from '#jobs/run';
import { DEMO_PASSWORD } from '#tenants/demo';
import { actorOf, inTenant } from '#tests/support/actors';
import { acted, overtimeRequest, submitted } from '#tests/support/documents';
import { Client } from '#tests/support/http';
import { pdfsig, printCms, scratchDir, signatureOf } from '#tests/support/seal';
import { startApp, type RunningApp } from '#tests/support/server';

let app: RunningApp;
let clerk: Client;
let nikola: Actor, marija: Actor, jelena: Actor;
let first: DocumentRow;
let mailDir: ReturnType<typeof scratchDir>;

const pdfOf = (d: DocumentRow) => `/t/surdulica/documents/${d.id}/pdf`;
const text = (pdf: Uint8Array) => execFileSync('pdftotext', ['-enc', 'UTF-8', '-', '-'], { input: pdf }).toString('utf8').replace(/\s+/g, ' ');

async function download(d: DocumentRow): Promise<Buffer> {
  const res = await clerk.get(pdfOf(d));
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toBe('application/pdf');
  return Buffer.from(await res.arrayBuffer());
}

/** A registered overtime request of Nikola's, approved by Marija. */
async function registered(date: string): Promise<DocumentRow> {
  const doc = await acted(app.app.db, marija, await submitted(app.app.db, nikola, 'overtime-request', overtimeRequest(date, '16:00', '18:00')), 'approved');
  expect(doc.state).toBe('registered');
  return doc;
}

/** The seal job, run as the worker runs it (through the job registry). */
const sealJob = (d: DocumentRow) =>
  runJob(
    SEAL_JOB,
    { tenantId: d.tenantId, documentId: d.id },
    { db: app.app.db, mailer: createMailer({ mailDir: mailDir.path, from: 'test@delovod.test' }), log: pino({ level: 'silent' }), now: () => new Date() },
    { outboxId: d.id, attempt: 1 },
  );

beforeAll(async () => {
  mailDir = scratchDir();
  app = await startApp();
  const s = (name: string) => actorOf(app.app.db, 'surdulica', `${name}@surdulica.test`);
  [nikola, marija, jelena] = await Promise.all(['nikola.petrovic', 'marija.stojanovic', 'jelena.djordjevic'].map(s));
  clerk = new Client(app.url);
  expect((await clerk.signIn('ljiljana.cvetkovic@surdulica.test', DEMO_PASSWORD)).status).toBe(302);
  first = await registered('2026-12-02');
});

afterAll(async () => {
  await app?.stop();
  mailDir?.remove();
});

describe('a registered document', () => {
  it('asks for its seal in the registering transaction', async () => {
    const rows = rowsOf(await app.owner.db.execute(sql`select job, payload from outbox where payload->>'documentId' = ${first.id}`));
    expect(rows).toEqual([{ job: 'documents.seal', payload: { tenantId: first.tenantId, documentId: first.id } }]);
  });

  it('downloads as a PDF whose seal pdfsig finds valid and covering the whole file, marked as a test seal', async () => {
    const pdf = await download(first);
    const report = pdfsig(pdf);
    expect(report).toContain('Signature Validation: Signature is Valid.');
    expect(report).toContain('Total document signed');
    expect(report).toContain('Signature Type: ETSI.CAdES.detached');
    expect(report).toContain('Signer Certificate Common Name: Delovod test seal');
    // What the CMS signs, as OpenSSL reads it: signing-certificate-v2, and no signing-time.
    const cms = printCms(signatureOf(pdf).cms);
    expect(cms).toMatch(/id-smime-aa-signingCertificateV2|1\.2\.840\.113549\.1\.9\.16\.2\.47/);
    expect(cms).not.toContain('signingTime');
    const shown = text(pdf);
    expect(shown).toContain(`Деловодни број: ${first.registryNumber}`);
    expect(shown).toContain('Ималац печата: Delovod test seal');
    expect(shown).toContain('ТЕСТНИ ПЕЧАТ — није важећи електронски печат');
    expect(shown).toMatch(/Време печатирања: \d{2}\.\d{2}\.\d{4}\. \d{2}:\d{2}/);
    // The tenant's record of it: the stored file's hash in its audit chain.
    const [row] = await inTenant(app.app.db, nikola, (tx) => tx.select().from(sealedDocuments).where(eq(sealedDocuments.documentId, first.id)));
    expect(row).toMatchObject({ level: 'B-B', testSeal: true, locale: 'sr-Cyrl', holder: 'Delovod test seal' });
    const events = await inTenant(app.app.db, nikola, (tx) =>
      tx.select().from(auditEvents).where(and(eq(auditEvents.subjectId, first.id), eq(auditEvents.type, 'document.sealed'))),
    );
    expect(events.map((e) => (e.data as { sha256: string }).sha256)).toEqual([row.sha256]);
  });

  it('is the same bytes on every download, after its seal job has run and after a restart', async () => {
    const once = await download(first);
    expect((await download(first)).equals(once)).toBe(true);
    await sealJob(first);
    expect((await download(first)).equals(once)).toBe(true);
    // Another colleague allowed to read it gets the same file.
    const author = new Client(app.url);
    expect((await author.signIn('nikola.petrovic@surdulica.test', DEMO_PASSWORD)).status).toBe(302);
    expect(Buffer.from(await (await author.get(pdfOf(first))).arrayBuffer()).equals(once)).toBe(true);

    await app.restart();
    clerk = new Client(app.url);
    expect((await clerk.signIn('ljiljana.cvetkovic@surdulica.test', DEMO_PASSWORD)).status).toBe(302);
    expect((await download(first)).equals(once)).toBe(true);
    const stored = await inTenant(app.app.db, nikola, (tx) => tx.select({ documentId: sealedDocuments.documentId }).from(sealedDocuments));
    expect(stored.filter((r) => r.documentId === first.id)).toHaveLength(1);
  });

  it('is sealed by its job before anyone downloads it, with the same test seal after a restart', async () => {
    const second = await registered('2026-12-03');
    await sealJob(second);
    const [row] = await inTenant(app.app.db, nikola, (tx) => tx.select().from(sealedDocuments).where(eq(sealedDocuments.documentId, second.id)));
    expect(row).toBeDefined();
    const pdf = await download(second);
    expect(pdf.equals(row.pdf)).toBe(true);
    expect(pdfsig(pdf)).toContain('Signature is Valid.');
    // One test seal for the deployment: the certificate in both documents' CMS is the same.
    const certificates = await inTenant(app.app.db, nikola, (tx) => tx.select({ c: sealedDocuments.certificateSha256 }).from(sealedDocuments));
    expect(new Set(certificates.map((r) => r.c)).size).toBe(1);
  });

  it('is reported as modified once a byte of the downloaded file is changed', async () => {
    const pdf = await download(first);
    const { byteRange } = signatureOf(pdf);
    const changed = Buffer.from(pdf);
    // A byte of the page content, inside the first signed range.
    const at = changed.indexOf('stream', 200);
    expect(at).toBeGreaterThan(0);
    expect(at).toBeLessThan(byteRange[1]);
    changed[at + 20] ^= 0x01;
    const report = pdfsig(changed);
    expect(report).not.toContain('Signature is Valid.');
    expect(report).toMatch(/Digest Mismatch|Signature is Invalid/);
  });

  it('cannot be changed or removed by the application once stored', async () => {
    const refused = { cause: { message: expect.stringMatching(/permission denied for table sealed_documents/) } };
    await expect(inTenant(app.app.db, nikola, (tx) => tx.update(sealedDocuments).set({ pdf: Buffer.from('%PDF-') }).where(eq(sealedDocuments.documentId, first.id)))).rejects.toMatchObject(refused);
    await expect(inTenant(app.app.db, nikola, (tx) => tx.delete(sealedDocuments).where(eq(sealedDocuments.documentId, first.id)))).rejects.toMatchObject(refused);
  });

  it('is not sealed while it is still in approval, and another tenant’s user gets 404', async () => {
    const pending = await submitted(app.app.db, jelena, 'overtime-request', overtimeRequest('2026-12-09', '16:00', '17:00'));
    const author = new Client(app.url);
    expect((await author.signIn('jelena.djordjevic@surdulica.test', DEMO_PASSWORD)).status).toBe(302);
    expect((await author.get(pdfOf(pending))).status).toBe(404);
    const outsider = new Client(app.url);
    expect((await outsider.signIn('vesna.popovic@apr.test', DEMO_PASSWORD)).status).toBe(302);
    expect((await outsider.get(pdfOf(first))).status).toBe(404);
  });
});
