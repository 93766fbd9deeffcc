// Pieces of the two-step verification pages: the authenticator app's QR code and key, and the
// recovery codes shown once.
import { useTranslation } from 'react-i18next';

/** The QR code (an SVG drawn on the server: no JavaScript needed) and the key to type instead. */
export function TotpSetup({ qrSvg, secret }: { qrSvg: string; secret: string }) {
  const { t } = useTranslation();
  return (
    <>
      <p>{t('accounts.enrol.scan')}</p>
      {/* The SVG is qrcode's output for our own otpauth: address, not user input. */}
      <div className="totp-qr" role="img" aria-label={t('accounts.enrol.qr')} dangerouslySetInnerHTML={{ __html: qrSvg }} />
      <p>
        {t('accounts.enrol.key')}: <code className="totp-key">{secret.match(/.{1,4}/g)!.join(' ')}</code>
      </p>
      <p>{t('accounts.enrol.enter')}</p>
    </>
  );
}

export function RecoveryCodes({ codes, title }: { codes: string[]; title: string }) {
  const { t } = useTranslation();
  return (
    <section className="alert alert--ok" aria-labelledby="recovery-codes-title">
      <h2 id="recovery-codes-title">{title}</h2>
      <p>{t('accounts.enrol.recoveryLead')}</p>
      <ul className="recovery-codes">
        {codes.map((c) => (
          <li key={c}>
            <code>{c}</code>
          </li>
        ))}
      </ul>
    </section>
  );
}
