// The seal this deployment signs with (docs/sealing.md): the PKCS#12 file named by SEAL_P12
// (the national office's or the authority's seal certificate), or — when none is configured —
// a self-signed test seal, made once and kept in the database so that the web and the worker
// processes, and every restart, seal with the same one. Documents sealed with it say in red
// that it is not a valid seal.
import { eq } from 'drizzle-orm';
import forge from 'node-forge';
import { generateKeyPair, randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { promisify } from 'node:util';
import type { Database } from '#db/client';
import { testSeals } from '#db/schema';
import { env } from '../../env.server';
import { sealIdentityOf, type SealIdentity } from './identity.server';

/** The test seal's file is not a secret: it seals nothing anyone should rely on. */
export const TEST_SEAL_PASSWORD = 'delovod-test-seal';
const TEST_SEAL_YEARS = 10;

/** A self-signed seal certificate with its RSA key, as a PKCS#12 file. */
export async function makeTestSeal(now: Date): Promise<Buffer> {
  // Off the event loop: an RSA key takes a second or more to find on a busy machine.
  const { privateKey } = await promisify(generateKeyPair)('rsa', { modulusLength: 3072 });
  const key = forge.pki.privateKeyFromPem(privateKey.export({ type: 'pkcs1', format: 'pem' }).toString()) as forge.pki.rsa.PrivateKey;
  const certificate = forge.pki.createCertificate();
  certificate.publicKey = forge.pki.setRsaPublicKey(key.n, key.e);
  const serial = randomBytes(16);
  serial[0] = (serial[0] & 0x7f) | 0x01;
  certificate.serialNumber = serial.toString('hex');
  certificate.validity.notBefore = now;
  certificate.validity.notAfter = new Date(now.getTime());
  certificate.validity.notAfter.setUTCFullYear(now.getUTCFullYear() + TEST_SEAL_YEARS);
  const name = [
    { shortName: 'C', value: 'RS' },
    { shortName: 'O', value: 'Delovod' },
    { shortName: 'CN', value: 'Delovod test seal' },
  ];
  certificate.setSubject(name);
  certificate.setIssuer(name);
  certificate.setExtensions([
    { name: 'basicConstraints', cA: false, critical: true },
    { name: 'keyUsage', digitalSignature: true, nonRepudiation: true, critical: true },
    { name: 'subjectKeyIdentifier' },
  ]);
  certificate.sign(key, forge.md.sha256.create());
  const p12 = forge.pkcs12.toPkcs12Asn1(key, [certificate], TEST_SEAL_PASSWORD, { algorithm: 'aes256' });
  return Buffer.from(forge.asn1.toDer(p12).getBytes(), 'binary');
}

async function testSeal(db: Database): Promise<SealIdentity> {
  const stored = async () => (await db.select({ p12: testSeals.p12 }).from(testSeals).where(eq(testSeals.id, 1)))[0];
  let row = await stored();
  if (!row) {
    // Processes starting together may each make one: the first stored is the one all use.
    await db.insert(testSeals).values({ id: 1, p12: await makeTestSeal(new Date()) }).onConflictDoNothing();
    row = await stored();
  }
  return sealIdentityOf(row.p12, TEST_SEAL_PASSWORD, { test: true });
}

const identities = new WeakMap<Database, Promise<SealIdentity>>();

/** The seal, opened once per process (and database). */
export function deploymentSeal(db: Database): Promise<SealIdentity> {
  let identity = identities.get(db);
  if (!identity) {
    const { SEAL_P12, SEAL_P12_PASSWORD } = env();
    identity = SEAL_P12 ? sealIdentityOf(readFileSync(SEAL_P12), SEAL_P12_PASSWORD, { test: false }) : testSeal(db);
    // A failure is not remembered: the next seal tries again.
    identity.catch(() => identities.delete(db));
    identities.set(db, identity);
  }
  return identity;
}
