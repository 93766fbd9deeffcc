// Opening a PKCS#12 file (ADR 012). node-forge opens every PKCS#12 in use — OpenSSL 3's AES
// files and the older 3DES/RC2 exports that many certification authorities still hand out.
// Kept apart from the signing code (app/workflow/sealing), below every context: the environment
// check at start-up needs only this.
import forge from 'node-forge';
import { createPrivateKey, X509Certificate, type KeyObject } from 'node:crypto';

export interface Pkcs12Contents {
  key: KeyObject;
  /** The certificate of the key first, then the rest of the file's certificates (DER). */
  certificates: Buffer[];
}

const der = (asn1: forge.asn1.Asn1) => Buffer.from(forge.asn1.toDer(asn1).getBytes(), 'binary');

function openPkcs12(file: Uint8Array, password: string): forge.pkcs12.Pkcs12Pfx {
  const binary = Buffer.from(file).toString('binary');
  try {
    return forge.pkcs12.pkcs12FromAsn1(forge.asn1.fromDer(binary), password);
  } catch (error) {
    // forge checks the MAC first, with the password as UTF-16 as PKCS#12 says; then it derives
    // AES (PBES2) keys from one byte per character, where OpenSSL and Windows take the UTF-8
    // bytes. A non-ASCII password ("лозинка", "šifra") thus passes the MAC and fails to decrypt:
    // the contents are opened again with its UTF-8 bytes, the MAC (already checked) set aside.
    if (/^[\x20-\x7e]*$/.test(password) || !/decrypt/i.test(String(error))) throw error;
    const pfx = forge.asn1.fromDer(binary);
    (pfx.value as forge.asn1.Asn1[]).splice(2, 1); // PFX ::= SEQUENCE { version, authSafe, macData OPTIONAL }
    return forge.pkcs12.pkcs12FromAsn1(pfx, forge.util.encodeUtf8(password));
  }
}

/** The key and certificates of a PKCS#12 file; throws, saying why, when the password does not open it or it holds no key with its certificate. */
export function readPkcs12(file: Uint8Array, password: string): Pkcs12Contents {
  let p12: forge.pkcs12.Pkcs12Pfx;
  try {
    p12 = openPkcs12(file, password);
  } catch (error) {
    throw new Error(`the file is not a PKCS#12 file that this password opens (${error instanceof Error ? error.message : String(error)})`);
  }
  const bagsOf = (bagType: string) => p12.getBags({ bagType })[bagType] ?? [];
  // forge parses RSA keys and certificates; others (EC) come back as their ASN.1, which is all we need.
  const keys = [...bagsOf(forge.pki.oids.pkcs8ShroudedKeyBag), ...bagsOf(forge.pki.oids.keyBag)].map((bag) =>
    createPrivateKey({
      key: der(bag.key ? forge.pki.wrapRsaPrivateKey(forge.pki.privateKeyToAsn1(bag.key)) : bag.asn1!),
      format: 'der',
      type: 'pkcs8',
    }),
  );
  if (keys.length !== 1) throw new Error(`the file holds ${keys.length} private keys; a seal needs exactly one`);
  const certificates = bagsOf(forge.pki.oids.certBag).map((bag) => der(bag.cert ? forge.pki.certificateToAsn1(bag.cert) : bag.asn1!));
  const own = certificates.find((c) => new X509Certificate(c).checkPrivateKey(keys[0]));
  if (!own) throw new Error('the file holds no certificate for its private key');
  return { key: keys[0], certificates: [own, ...certificates.filter((c) => c !== own)] };
}
