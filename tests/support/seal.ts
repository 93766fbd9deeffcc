// What a seal test needs besides the app, made with OpenSSL rather than with the libraries the
// app signs with: seal certificates in PKCS#12 files, a tiny RFC 3161 time-stamp authority
// (`openssl ts -reply` behind node:http on loopback), and readings of a sealed PDF by tools a
// reader would trust — poppler's pdfsig, `openssl cms` and `openssl ts`.
import * as asn1js from 'asn1js';
import { execFile, execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

export function scratchDir(): { path: string; remove(): void } {
  const path = mkdtempSync(join(tmpdir(), 'delovod-seal-'));
  return { path, remove: () => rmSync(path, { recursive: true, force: true }) };
}

export interface SealFile {
  p12: string;
  password: string;
  /** The seal's certificate, PEM. */
  certificate: string;
}

/** A self-signed seal certificate and its key in a PKCS#12 file, as a certification authority's export would be. */
export function makeSealP12(dir: string, options: { name?: string; key?: 'rsa' | 'ec'; legacy?: boolean; password?: string; days?: number } = {}): SealFile {
  const base = join(dir, `seal-${options.key ?? 'rsa'}${options.legacy ? '-legacy' : ''}`);
  const password = options.password ?? 'тајна лозинка';
  writeFileSync(
    `${base}.cnf`,
    [
      '[req]',
      'distinguished_name = dn',
      'prompt = no',
      'string_mask = utf8only',
      'utf8 = yes',
      '[dn]',
      'C = RS',
      'O = Општина Сурдулица',
      `CN = ${options.name ?? 'Печат Општине Сурдулица'}`,
      '[ext]',
      'basicConstraints = critical,CA:FALSE',
      'keyUsage = critical,digitalSignature,nonRepudiation',
      'subjectKeyIdentifier = hash',
    ].join('\n'),
  );
  const keyArgs = options.key === 'ec' ? ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256'] : ['-newkey', 'rsa:3072'];
  execFileSync('openssl', ['req', '-x509', ...keyArgs, '-nodes', '-keyout', `${base}.key`, '-out', `${base}.crt`, '-days', String(options.days ?? 365), '-config', `${base}.cnf`, '-extensions', 'ext'], { stdio: 'ignore' });
  execFileSync('openssl', ['pkcs12', '-export', ...(options.legacy ? ['-legacy'] : []), '-inkey', `${base}.key`, '-in', `${base}.crt`, '-out', `${base}.p12`, '-passout', `pass:${password}`]);
  return { p12: `${base}.p12`, password, certificate: readFileSync(`${base}.crt`, 'utf8') };
}

export interface Tsa {
  url: string;
  /** The authority's certificate (PEM file), to verify its tokens with. */
  certificate: string;
  /** Time-stamps given so far. */
  stamped: number;
  /** While set, the authority answers every request with this HTTP status. */
  failWith: number | null;
  stop(): Promise<void>;
}

/** A time-stamp authority on loopback: OpenSSL's own RFC 3161 responder behind HTTP. */
export async function startTsa(dir: string): Promise<Tsa> {
  const home = join(dir, 'tsa');
  mkdirSync(home);
  writeFileSync(join(home, 'serial'), '01\n');
  writeFileSync(
    join(home, 'tsa.cnf'),
    [
      '[req]',
      'distinguished_name = dn',
      'prompt = no',
      '[dn]',
      'CN = Delovod test time-stamp authority',
      '[ext]',
      'basicConstraints = critical,CA:FALSE',
      'keyUsage = critical,digitalSignature',
      'extendedKeyUsage = critical,timeStamping',
      '[tsa]',
      'default_tsa = tsa_config',
      '[tsa_config]',
      `serial = ${join(home, 'serial')}`,
      `signer_cert = ${join(home, 'tsa.crt')}`,
      `signer_key = ${join(home, 'tsa.key')}`,
      'signer_digest = sha256',
      'default_policy = 1.3.6.1.4.1.99999.1',
      'digests = sha256, sha384, sha512',
      'accuracy = secs:1',
      'ess_cert_id_alg = sha256',
      'ess_cert_id_chain = no',
      'ordering = no',
      'tsa_name = no',
    ].join('\n'),
  );
  execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', join(home, 'tsa.key'), '-out', join(home, 'tsa.crt'), '-days', '30', '-config', join(home, 'tsa.cnf'), '-extensions', 'ext'], { stdio: 'ignore' });
  let n = 0;
  const tsa: Tsa = { url: '', certificate: join(home, 'tsa.crt'), stamped: 0, failWith: null, stop: async () => {} };
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', async () => {
      if (tsa.failWith) return res.writeHead(tsa.failWith).end();
      const id = ++n;
      const query = join(home, `q${id}.tsq`);
      const reply = join(home, `r${id}.tsr`);
      writeFileSync(query, Buffer.concat(chunks));
      try {
        await run('openssl', ['ts', '-reply', '-config', join(home, 'tsa.cnf'), '-queryfile', query, '-out', reply]);
        tsa.stamped++;
        res.writeHead(200, { 'content-type': 'application/timestamp-reply' }).end(readFileSync(reply));
      } catch {
        res.writeHead(500).end();
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  tsa.url = `http://127.0.0.1:${(server.address() as { port: number }).port}/tsa`;
  tsa.stop = () => new Promise((resolve) => server.close(() => resolve()));
  return tsa;
}

/** poppler's report on the PDF's signatures. */
export function pdfsig(pdf: Uint8Array): string {
  const dir = scratchDir();
  try {
    writeFileSync(join(dir.path, 'd.pdf'), pdf);
    return execFileSync('pdfsig', [join(dir.path, 'd.pdf')], { encoding: 'utf8' });
  } finally {
    dir.remove();
  }
}

/** The signature dictionary's signed byte ranges and the CMS in its /Contents (without the padding). */
export function signatureOf(pdf: Uint8Array): { byteRange: number[]; cms: Buffer; dictionary: string } {
  const text = Buffer.from(pdf).toString('latin1');
  const found = /\/ByteRange\s*\[\s*(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s*\]/.exec(text);
  if (!found) throw new Error('no signature in the PDF');
  const byteRange = found.slice(1).map(Number);
  const hex = text.slice(byteRange[1] + 1, byteRange[2] - 1);
  const padded = Buffer.from(hex, 'hex');
  // The padding is zeros after the DER: its own length says where it ends.
  const parsed = asn1js.fromBER(padded);
  if (parsed.offset === -1) throw new Error('the /Contents is not DER');
  const dictionary = text.slice(text.lastIndexOf('<<', found.index), text.indexOf('>>', byteRange[2]) + 2);
  return { byteRange, cms: padded.subarray(0, parsed.offset), dictionary };
}

/** `openssl cms -cmsout -print` of a CMS. */
export function printCms(cms: Buffer): string {
  return execFileSync('openssl', ['cms', '-cmsout', '-print', '-inform', 'DER'], { input: cms, encoding: 'utf8' });
}
