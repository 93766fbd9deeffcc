// An RFC 3161 time-stamp for a signature value: asked of the configured time-stamp authority
// over HTTP, and checked before it is kept — granted, for this request (nonce), for this
// signature (message imprint) and signed by the authority's certificate it carries.
import * as asn1js from 'asn1js';
import { createHash, randomBytes } from 'node:crypto';
import * as pkijs from 'pkijs';

const TIMEOUT_MS = 15_000;

/** The time-stamp token (a CMS ContentInfo, DER) of `data`'s SHA-256, from the authority at `url`. */
export async function timestampToken(url: string, data: Uint8Array): Promise<ArrayBuffer> {
  const digest = createHash('sha256').update(data).digest();
  const nonce = randomBytes(16);
  nonce[0] = (nonce[0] & 0x7f) | 0x01; // a positive INTEGER whose DER keeps all 16 bytes
  const request = new pkijs.TimeStampReq({
    version: 1,
    messageImprint: new pkijs.MessageImprint({
      hashAlgorithm: new pkijs.AlgorithmIdentifier({ algorithmId: pkijs.id_sha256 }),
      hashedMessage: new asn1js.OctetString({ valueHex: digest }),
    }),
    nonce: new asn1js.Integer({ valueHex: nonce }),
    certReq: true,
  });
  // Credentials in the URL (https://user:password@tsa…) go as Basic authentication: fetch refuses them in the URL.
  const target = new URL(url);
  const headers: Record<string, string> = { 'content-type': 'application/timestamp-query', accept: 'application/timestamp-reply' };
  if (target.username || target.password) {
    headers.authorization = `Basic ${Buffer.from(`${decodeURIComponent(target.username)}:${decodeURIComponent(target.password)}`).toString('base64')}`;
    target.username = target.password = '';
  }
  const response = await fetch(target, { method: 'POST', headers, body: Buffer.from(request.toSchema().toBER()), signal: AbortSignal.timeout(TIMEOUT_MS) });
  if (!response.ok) throw new Error(`the time-stamp authority answered HTTP ${response.status}`);
  const reply = pkijs.TimeStampResp.fromBER(await response.arrayBuffer());
  if (reply.status.status !== pkijs.PKIStatus.granted && reply.status.status !== pkijs.PKIStatus.grantedWithMods) {
    const why = reply.status.statusStrings?.map((s) => s.valueBlock.value).join('; ');
    throw new Error(`the time-stamp authority refused (status ${reply.status.status}${why ? `: ${why}` : ''})`);
  }
  if (!reply.timeStampToken || !(await reply.verify({ signer: 0, data: new Uint8Array(data).buffer, trustedCerts: [] }))) {
    throw new Error('the time-stamp does not verify for this signature');
  }
  const signed = new pkijs.SignedData({ schema: reply.timeStampToken.content });
  const info = pkijs.TSTInfo.fromBER(signed.encapContentInfo.eContent!.getValue());
  if (!info.nonce || !Buffer.from(info.nonce.valueBlock.valueHexView).equals(nonce)) throw new Error('the time-stamp answers another request (nonce)');
  return reply.timeStampToken.toSchema().toBER();
}
