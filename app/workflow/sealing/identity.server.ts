// The seal that signs registered documents' PDFs (ADR 012): a key and its certificates from a
// PKCS#12 file (app/crypto/read-pkcs12.server.ts), ready for the platform's WebCrypto to sign with.
import { webcrypto, X509Certificate, type KeyObject } from 'node:crypto';
import * as pkijs from 'pkijs';
import { readPkcs12 } from '../../crypto/read-pkcs12.server';

export interface SealIdentity {
  key: CryptoKey;
  /** The seal's certificate (DER). */
  certificate: Uint8Array<ArrayBuffer>;
  /** Every certificate of the file, the seal's first (DER): the chain a verifier builds on. */
  certificates: Uint8Array<ArrayBuffer>[];
  /** The holder as the certificate names it: its common name, else its organisation. */
  name: string;
  validTo: Date;
  /** A self-signed seal the deployment made for itself (test-seal.server.ts): not a valid seal. */
  test: boolean;
}

// WebCrypto's names for the curves Node reports.
const curves: Record<string, string> = { prime256v1: 'P-256', secp384r1: 'P-384', secp521r1: 'P-521' };

async function signingKey(key: KeyObject): Promise<CryptoKey> {
  const pkcs8 = key.export({ format: 'der', type: 'pkcs8' });
  if (key.asymmetricKeyType === 'rsa') {
    return webcrypto.subtle.importKey('pkcs8', pkcs8, { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' }, false, ['sign']);
  }
  const curve = key.asymmetricKeyType === 'ec' ? curves[key.asymmetricKeyDetails?.namedCurve ?? ''] : undefined;
  if (!curve) throw new Error(`a seal key of type ${key.asymmetricKeyType} is not supported (RSA or ECDSA on P-256, P-384, P-521)`);
  return webcrypto.subtle.importKey('pkcs8', pkcs8, { name: 'ECDSA', namedCurve: curve }, false, ['sign']);
}

const COMMON_NAME = '2.5.4.3';
const ORGANISATION = '2.5.4.10';

/** The seal a PKCS#12 file holds, ready to sign. */
export async function sealIdentityOf(file: Uint8Array, password: string, options: { test: boolean }): Promise<SealIdentity> {
  const contents = readPkcs12(file, password);
  const certificates = contents.certificates.map((c) => new Uint8Array(c));
  const subject = pkijs.Certificate.fromBER(certificates[0]).subject.typesAndValues;
  const named = (oid: string) => subject.find((a) => a.type === oid)?.value.valueBlock.value as string | undefined;
  return {
    key: await signingKey(contents.key),
    certificate: certificates[0],
    certificates,
    name: named(COMMON_NAME) ?? named(ORGANISATION) ?? new X509Certificate(certificates[0]).subject,
    validTo: new Date(new X509Certificate(certificates[0]).validTo),
    test: options.test,
  };
}
