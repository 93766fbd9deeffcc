// The CMS signature a PAdES baseline signature carries (ETSI EN 319 142-1, built on CAdES, EN
// 319 122-1): a detached SignedData over the PDF's signed byte ranges, whose signed attributes
// are exactly content-type, message-digest and ESS signing-certificate-v2 (no signing-time:
// PAdES takes the time from the signature dictionary's /M). With a time-stamp authority, the
// signature's time-stamp token is added as an unsigned attribute: level B-T.
import { Signer } from '@signpdf/signpdf';
import * as asn1js from 'asn1js';
import { createHash } from 'node:crypto';
import * as pkijs from 'pkijs';
import type { SealIdentity } from './identity.server';
import { timestampToken } from './timestamp.server';

export const OID = {
  contentType: '1.2.840.113549.1.9.3',
  messageDigest: '1.2.840.113549.1.9.4',
  signingCertificateV2: '1.2.840.113549.1.9.16.2.47',
  signatureTimeStampToken: '1.2.840.113549.1.9.16.2.14',
} as const;

const sha256 = (data: Uint8Array | ArrayBuffer) => createHash('sha256').update(new Uint8Array(data)).digest();

/**
 * ESS signing-certificate-v2 (RFC 5035) naming the seal's certificate by its SHA-256 hash (the
 * default algorithm, so left out, as DER requires) and by issuer and serial number.
 */
function signingCertificateV2(certificate: pkijs.Certificate, encoded: Uint8Array): asn1js.Sequence {
  const issuerSerial = new pkijs.IssuerSerial({
    issuer: new pkijs.GeneralNames({ names: [new pkijs.GeneralName({ type: 4, value: certificate.issuer })] }),
    serialNumber: certificate.serialNumber,
  });
  const essCertIdV2 = new asn1js.Sequence({ value: [new asn1js.OctetString({ valueHex: sha256(encoded) }), issuerSerial.toSchema()] });
  return new asn1js.Sequence({ value: [new asn1js.Sequence({ value: [essCertIdV2] })] });
}

export interface CadesOptions {
  /** An RFC 3161 time-stamp authority: with one, the signature is time-stamped (B-T). */
  tsaUrl?: string;
}

/** Signs what @signpdf hands it (the PDF without its /Contents) with the seal. */
export class CadesSigner extends Signer {
  constructor(
    private readonly seal: SealIdentity,
    private readonly options: CadesOptions = {},
  ) {
    super();
  }

  override async sign(content: Buffer): Promise<Buffer> {
    const certificate = pkijs.Certificate.fromBER(this.seal.certificate);
    const attributes = [
      new pkijs.Attribute({ type: OID.contentType, values: [new asn1js.ObjectIdentifier({ value: pkijs.id_ContentType_Data })] }),
      new pkijs.Attribute({ type: OID.messageDigest, values: [new asn1js.OctetString({ valueHex: sha256(content) })] }),
      new pkijs.Attribute({ type: OID.signingCertificateV2, values: [signingCertificateV2(certificate, this.seal.certificate)] }),
    ];
    // DER orders a SET by its members' encodings; the signature covers the attributes so encoded.
    const encoded = (a: pkijs.Attribute) => Buffer.from(a.toSchema().toBER());
    attributes.sort((a, b) => Buffer.compare(encoded(a), encoded(b)));
    const signed = new pkijs.SignedData({
      version: 1,
      encapContentInfo: new pkijs.EncapsulatedContentInfo({ eContentType: pkijs.id_ContentType_Data }),
      signerInfos: [
        new pkijs.SignerInfo({
          version: 1,
          sid: new pkijs.IssuerAndSerialNumber({ issuer: certificate.issuer, serialNumber: certificate.serialNumber }),
          signedAttrs: new pkijs.SignedAndUnsignedAttributes({ type: 0, attributes }),
        }),
      ],
      certificates: this.seal.certificates.map((c) => pkijs.Certificate.fromBER(c)),
    });
    await signed.sign(this.seal.key, 0, 'SHA-256');
    if (this.options.tsaUrl) {
      const signer = signed.signerInfos[0];
      const token = await timestampToken(this.options.tsaUrl, signer.signature.valueBlock.valueHexView);
      signer.unsignedAttrs = new pkijs.SignedAndUnsignedAttributes({
        type: 1,
        attributes: [new pkijs.Attribute({ type: OID.signatureTimeStampToken, values: [asn1js.fromBER(token).result] })],
      });
    }
    const info = new pkijs.ContentInfo({ contentType: pkijs.id_ContentType_SignedData, content: signed.toSchema(true) });
    return Buffer.from(info.toSchema().toBER());
  }
}
