// A document sealed with seal certificates OpenSSL made, read back by tools a reader would
// trust: poppler's pdfsig validates the signature and says whether it covers the whole file,
// `openssl cms` lists what the CMS signs, `openssl ts` checks the time-stamp of a B-T seal.
import * as asn1js from 'asn1js';
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as pkijs from 'pkijs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeSealP12, pdfsig, printCms, scratchDir, signatureOf, startTsa, type Tsa } from '#tests/support/seal';
import type { PrintableDocument } from '../documents/printable.server';
import { OID } from './cades.server';
import { makeTestSeal, TEST_SEAL_PASSWORD } from './deployment-seal.server';
import { sealIdentityOf, type SealIdentity } from './identity.server';
import { readPkcs12 } from '../../crypto/read-pkcs12.server';
import { sealPrintable } from './seal-document.server';

const document: PrintableDocument = {
  id: '00000000-0000-4000-8000-000000000007',
  locale: 'sr-Cyrl',
  tenantName: 'Општина Сурдулица',
  tenantNameLatin: 'Opština Surdulica',
  title: 'Захтев за прековремени рад',
  registryNumber: '112-7/2026',
  registeredAt: { date: '02.12.2026.', time: '16:05' },
  state: 'registered',
  author: { name: 'Никола Петровић', position: 'Референт', unit: null },
  fields: [{ label: 'Опис', value: 'Припрема документације (šifra čćđšž ČĆĐŠŽ)' }],
  computed: [],
  line: [],
  rounds: 1,
};
const sealedAt = new Date('2026-12-02T15:07:30Z');

const text = (pdf: Uint8Array) => execFileSync('pdftotext', ['-enc', 'UTF-8', '-', '-'], { input: pdf }).toString('utf8').replace(/\s+/g, ' ');
const signerOf = (cms: Buffer) => new pkijs.SignedData({ schema: pkijs.ContentInfo.fromBER(new Uint8Array(cms)).content }).signerInfos[0];

let dir: ReturnType<typeof scratchDir>;
let rsa: SealIdentity;
let tsa: Tsa;

beforeAll(async () => {
  dir = scratchDir();
  const file = makeSealP12(dir.path);
  rsa = await sealIdentityOf(readFileSync(file.p12), file.password, { test: false });
  tsa = await startTsa(dir.path);
});

afterAll(async () => {
  await tsa?.stop();
  dir?.remove();
});

describe('a document sealed at level B-B', () => {
  let pdf: Uint8Array;
  beforeAll(async () => {
    pdf = await sealPrintable(document, rsa, { sealedAt });
  });

  it('is valid for pdfsig, signed whole, as ETSI.CAdES.detached with the seal’s name and time', () => {
    const report = pdfsig(pdf);
    expect(report).toContain('Signature Validation: Signature is Valid.');
    expect(report).toContain('Total document signed');
    expect(report).toContain('Signature Type: ETSI.CAdES.detached');
    expect(report).toContain('Signer Certificate Common Name: Печат Општине Сурдулица');
    expect(report).toContain('Signing Hash Algorithm: SHA-256');
    // /M, as pdfsig reads it (in UTC here).
    expect(report).toContain('Signing Time: Dec 02 2026 15:07:30');
  });

  it('shows the seal block with the holder, the registry number and the time of sealing in Belgrade', () => {
    const shown = text(pdf);
    expect(shown).toContain('Електронски печат');
    expect(shown).toContain('Ималац печата: Печат Општине Сурдулица');
    expect(shown).toContain('Деловодни број: 112-7/2026');
    expect(shown).toContain('Време печатирања: 02.12.2026. 16:07');
    expect(shown).toContain('Потпис: PAdES baseline B-B');
    expect(shown).not.toContain('ТЕСТНИ ПЕЧАТ');
  });

  it('names the reason, the place and the time in the signature dictionary', () => {
    const { dictionary, byteRange } = signatureOf(pdf);
    expect(dictionary).toContain('/SubFilter /ETSI.CAdES.detached');
    expect(dictionary).toContain('/M (D:20261202150730Z)');
    const hexText = (s: string) => `<FEFF${Buffer.from(s, 'utf16le').swap16().toString('hex').toUpperCase()}>`;
    expect(dictionary).toContain(`/Reason ${hexText('Заведено под деловодним бројем 112-7/2026')}`);
    expect(dictionary).toContain(`/Name ${hexText('Печат Општине Сурдулица')}`);
    // The signed ranges are the whole file but the signature's own value.
    expect(byteRange[0]).toBe(0);
    expect(byteRange[2] + byteRange[3]).toBe(pdf.byteLength);
  });

  it('signs content-type, message-digest and signing-certificate-v2, and no signing-time', () => {
    const { cms } = signatureOf(pdf);
    const printed = printCms(cms);
    const signed = printed.slice(printed.indexOf('signedAttrs:'), printed.indexOf('signatureAlgorithm:', printed.indexOf('signedAttrs:')));
    expect(signed).toContain('contentType');
    expect(signed).toContain('messageDigest');
    expect(signed).toMatch(/id-smime-aa-signingCertificateV2|1\.2\.840\.113549\.1\.9\.16\.2\.47/);
    expect(signed).not.toContain('signingTime');
    expect(printed).toContain('eContent: <ABSENT>');

    // signing-certificate-v2 holds the SHA-256 of the certificate the CMS carries (read with asn1js).
    const attribute = signerOf(cms).signedAttrs!.attributes.find((a) => a.type === OID.signingCertificateV2)!;
    const essCertIdV2 = (attribute.values[0] as asn1js.Sequence).valueBlock.value[0] as asn1js.Sequence;
    const certHash = ((essCertIdV2.valueBlock.value[0] as asn1js.Sequence).valueBlock.value[0] as asn1js.OctetString).valueBlock.valueHexView;
    expect(Buffer.from(certHash).toString('hex')).toBe(createHash('sha256').update(rsa.certificate).digest('hex'));
  });

  it('is reported as broken when a byte of the file changes, and as not covering what is appended', () => {
    const changed = Buffer.from(pdf);
    const at = changed.indexOf('/Producer');
    changed[at + 1] ^= 0x20; // /Producer → /pRODUCER, inside the signed range
    expect(pdfsig(changed)).not.toContain('Signature is Valid.');
    expect(pdfsig(changed)).toMatch(/Digest Mismatch|Signature is Invalid/);
    const appended = Buffer.concat([pdf, Buffer.from('\n% appended\n')]);
    expect(pdfsig(appended)).toContain('Not total document signed');
  });
});

describe('a document sealed at level B-T', () => {
  let pdf: Uint8Array;
  beforeAll(async () => {
    pdf = await sealPrintable(document, rsa, { sealedAt, tsaUrl: tsa.url });
  });

  it('carries the authority’s time-stamp of its signature value, which OpenSSL verifies', () => {
    expect(pdfsig(pdf)).toContain('Signature Validation: Signature is Valid.');
    expect(text(pdf)).toContain('Потпис: PAdES baseline B-T, са временским жигом');
    const { cms } = signatureOf(pdf);
    expect(printCms(cms)).toMatch(/unsignedAttrs:[\s\S]*(id-smime-aa-timeStampToken|1\.2\.840\.113549\.1\.9\.16\.2\.14)/);
    const signer = signerOf(cms);
    const token = signer.unsignedAttrs!.attributes.find((a) => a.type === OID.signatureTimeStampToken)!.values[0].toBER();
    writeFileSync(join(dir.path, 'token.der'), Buffer.from(token));
    const imprint = createHash('sha256').update(signer.signature.valueBlock.valueHexView).digest('hex');
    const verified = execFileSync('openssl', ['ts', '-verify', '-digest', imprint, '-in', join(dir.path, 'token.der'), '-token_in', '-CAfile', tsa.certificate], { encoding: 'utf8' });
    expect(verified).toContain('Verification: OK');
    const shown = execFileSync('openssl', ['ts', '-reply', '-in', join(dir.path, 'token.der'), '-token_in', '-text'], { encoding: 'utf8' });
    // Its message imprint, as OpenSSL prints it (a hex dump: offset, the bytes, their characters).
    const block = shown.slice(shown.indexOf('Message data:'), shown.indexOf('Serial number:'));
    const dumped = [...block.matchAll(/^\s*[0-9a-f]{4} - ((?:[0-9a-f]{2}[ -]){1,16})/gim)].map((m) => m[1].replace(/[^0-9a-f]/gi, '')).join('');
    expect(dumped).toBe(imprint);
  });

  it('is not made when the authority refuses, rather than made without its time-stamp', async () => {
    tsa.failWith = 503;
    try {
      await expect(sealPrintable(document, rsa, { sealedAt, tsaUrl: tsa.url })).rejects.toThrow(/HTTP 503/);
    } finally {
      tsa.failWith = null;
    }
  });
});

describe('seal files', () => {
  it('opens an ECDSA seal and one exported in the legacy 3DES format, and both seal validly', async () => {
    for (const options of [{ key: 'ec' as const }, { legacy: true }]) {
      const file = makeSealP12(dir.path, options);
      const seal = await sealIdentityOf(readFileSync(file.p12), file.password, { test: false });
      expect(pdfsig(await sealPrintable(document, seal, { sealedAt }))).toContain('Signature is Valid.');
    }
  });

  it('refuses a wrong password and a file that holds no key, saying why', () => {
    const file = makeSealP12(dir.path, { name: 'Друга' });
    expect(() => readPkcs12(readFileSync(file.p12), 'погрешна')).toThrow(/PKCS#12 file that this password opens/);
    const onlyCertificate = join(dir.path, 'only-certificate.p12');
    writeFileSync(join(dir.path, 'c.pem'), file.certificate);
    execFileSync('openssl', ['pkcs12', '-export', '-nokeys', '-in', join(dir.path, 'c.pem'), '-out', onlyCertificate, '-passout', 'pass:x']);
    expect(() => readPkcs12(readFileSync(onlyCertificate), 'x')).toThrow(/0 private keys/);
  });

  it('makes a test seal that seals validly and says in red on the page that it is not a valid seal', async () => {
    const seal = await sealIdentityOf(await makeTestSeal(sealedAt), TEST_SEAL_PASSWORD, { test: true });
    const pdf = await sealPrintable({ ...document, locale: 'en', tenantName: 'Municipality of Surdulica', tenantNameLatin: null }, seal, { sealedAt });
    expect(pdfsig(pdf)).toContain('Signature is Valid.');
    expect(pdfsig(pdf)).toContain('Signer Certificate Common Name: Delovod test seal');
    expect(text(pdf)).toContain('TEST SEAL — not a valid electronic seal');
    expect(text(pdf)).toContain('Sealed on: 02.12.2026. 16:07');
  });
});
