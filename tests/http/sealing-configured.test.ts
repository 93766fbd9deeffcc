// Sealed PDFs with the deployment's own seal certificate (SEAL_P12, a password in Cyrillic) and
// a time-stamp authority (SEAL_TSA_URL, OpenSSL's responder on loopback): the seal job seals at
// level B-T before anyone downloads; the time-stamp is of the signature; while the authority is
// away the download says so and the job's retry seals later. A seal that cannot be opened stops
// the server at start.
import { eq } from 'drizzle-orm';
import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pino from 'pino';
import * as pkijs from 'pkijs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OID } from '#app/workflow/sealing/cades.server';
import { SEAL_JOB } from '#app/workflow/sealing/request-seal.server';
import type { Actor } from '#app/workflow/engine/actor';
import type { DocumentRow } from '#app/workflow/engine/transition.server';
import { sealedDocuments } from '#db/schema';
import { createMailer } from '#jobs/email/transport';
import { runJob } from '#jobs/run';
import { DEMO_PASSWORD } from '#tenants/demo';
import { actorOf, inTenant } from '#tests/support/actors';
import { acted, overtimeRequest, submitted } from '#tests/support/documents';
import { Client } from '#tests/support/http';
import { makeSealP12, pdfsig, scratchDir, signatureOf, startTsa, type SealFile, type Tsa } from '#tests/support/seal';
import { startApp, type RunningApp } from '#tests/support/server';

let dir: ReturnType<typeof scratchDir>;
let seal: SealFile;
let tsa: Tsa;
let app: RunningApp;
let clerk: Client;
let nikola: Actor, marija: Actor;

const pdfOf = (d: DocumentRow) => `/t/surdulica/documents/${d.id}/pdf`;
const text = (pdf: Uint8Array) => execFileSync('pdftotext', ['-enc', 'UTF-8', '-', '-'], { input: pdf }).toString('utf8').replace(/\s+/g, ' ');

async function registered(date: string): Promise<DocumentRow> {
  return acted(app.app.db, marija, await submitted(app.app.db, nikola, 'overtime-request', overtimeRequest(date, '16:00', '18:00')), 'approved');
}

const sealJob = (d: DocumentRow) =>
  runJob(
    SEAL_JOB,
    { tenantId: d.tenantId, documentId: d.id },
    { db: app.app.db, mailer: createMailer({ mailDir: dir.path, from: 'test@delovod.test' }), log: pino({ level: 'silent' }), now: () => new Date() },
    { outboxId: d.id, attempt: 1 },
  );

beforeAll(async () => {
  dir = scratchDir();
  seal = makeSealP12(dir.path);
  tsa = await startTsa(dir.path);
  const sealing = { SEAL_P12: seal.p12, SEAL_P12_PASSWORD: seal.password, SEAL_TSA_URL: tsa.url };
  // The job runs here, as in a worker process configured the same way as the web.
  Object.assign(process.env, sealing);
  app = await startApp(sealing);
  const s = (name: string) => actorOf(app.app.db, 'surdulica', `${name}@surdulica.test`);
  [nikola, marija] = await Promise.all(['nikola.petrovic', 'marija.stojanovic'].map(s));
  clerk = new Client(app.url);
  expect((await clerk.signIn('ljiljana.cvetkovic@surdulica.test', DEMO_PASSWORD)).status).toBe(302);
});

afterAll(async () => {
  await app?.stop();
  await tsa?.stop();
  dir?.remove();
});

describe('with the deployment’s seal certificate and a time-stamp authority', () => {
  it('seals in the job at level B-T, time-stamping the signature, and serves those bytes unchanged', async () => {
    const doc = await registered('2026-12-02');
    const before = tsa.stamped;
    await sealJob(doc);
    expect(tsa.stamped).toBe(before + 1);
    const [row] = await inTenant(app.app.db, nikola, (tx) => tx.select().from(sealedDocuments).where(eq(sealedDocuments.documentId, doc.id)));
    expect(row).toMatchObject({ level: 'B-T', testSeal: false, holder: 'Печат Општине Сурдулица' });

    const res = await clerk.get(pdfOf(doc));
    expect(res.status).toBe(200);
    const pdf = Buffer.from(await res.arrayBuffer());
    expect(pdf.equals(row.pdf)).toBe(true);
    const report = pdfsig(pdf);
    expect(report).toContain('Signature Validation: Signature is Valid.');
    expect(report).toContain('Total document signed');
    expect(report).toContain('Signer Certificate Common Name: Печат Општине Сурдулица');
    const shown = text(pdf);
    expect(shown).toContain('Ималац печата: Печат Општине Сурдулица');
    expect(shown).toContain('Потпис: PAdES baseline B-T, са временским жигом');
    expect(shown).not.toContain('ТЕСТНИ ПЕЧАТ');

    // The token's message imprint is the SHA-256 of the signature value, as OpenSSL checks it.
    const signer = new pkijs.SignedData({ schema: pkijs.ContentInfo.fromBER(new Uint8Array(signatureOf(pdf).cms)).content }).signerInfos[0];
    const token = signer.unsignedAttrs!.attributes.find((a) => a.type === OID.signatureTimeStampToken)!.values[0].toBER();
    writeFileSync(join(dir.path, 'token.der'), Buffer.from(token));
    const imprint = createHash('sha256').update(signer.signature.valueBlock.valueHexView).digest('hex');
    expect(execFileSync('openssl', ['ts', '-verify', '-digest', imprint, '-in', join(dir.path, 'token.der'), '-token_in', '-CAfile', tsa.certificate], { encoding: 'utf8' })).toContain(
      'Verification: OK',
    );

    // Downloads and a second run of the job neither seal again nor change a byte.
    await sealJob(doc);
    expect(Buffer.from(await (await clerk.get(pdfOf(doc))).arrayBuffer()).equals(pdf)).toBe(true);
    expect(tsa.stamped).toBe(before + 1);
  });

  it('says the sealed PDF cannot be made while the authority is away, and seals once it is back', async () => {
    const doc = await registered('2026-12-03');
    tsa.failWith = 503;
    try {
      const res = await clerk.get(pdfOf(doc));
      expect(res.status).toBe(503);
      expect(res.headers.get('retry-after')).toBe('60');
      expect(await res.text()).toBe('Печатирани PDF овог документа тренутно не може да се направи. Покушајте поново за неколико минута.');
      await expect(sealJob(doc)).rejects.toThrow(/time-stamp authority answered HTTP 503/);
    } finally {
      tsa.failWith = null;
    }
    await sealJob(doc);
    const res = await clerk.get(pdfOf(doc));
    expect(res.status).toBe(200);
    expect(pdfsig(Buffer.from(await res.arrayBuffer()))).toContain('Signature is Valid.');
  });

  it('stops the server at start, naming SEAL_P12, when the password does not open the seal', () => {
    const root = fileURLToPath(new URL('../../', import.meta.url));
    const started = spawnSync(process.execPath, ['build/server.js'], {
      cwd: root,
      env: { ...process.env, NODE_ENV: 'production', PORT: '0', SEAL_P12: seal.p12, SEAL_P12_PASSWORD: 'погрешна лозинка' },
      encoding: 'utf8',
      timeout: 30_000,
    });
    expect(started.status).toBe(1);
    expect(started.stderr).toContain('SEAL_P12: the file is not a PKCS#12 file that this password opens');
  });
});
