import type { LoaderFunctionArgs } from '@remix-run/node';
import { Link, useLoaderData } from '@remix-run/react';
import { useTranslation } from 'react-i18next';
import { notFound, requireNational } from '../auth/guards.server';
import { isMailId, mailboxDir, readMail } from '../operations/mailbox.server';
import { belgradeDateTime } from '../time/belgrade';

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  await requireNational(context, request);
  const dir = mailboxDir();
  if (!dir || !isMailId(params.file)) notFound();
  const mail = await readMail(dir, params.file);
  if (!mail) notFound();
  const { date, time } = belgradeDateTime(mail.date);
  return { ...mail, date: `${date} ${time}` };
}

export default function MailMessage() {
  const { t } = useTranslation();
  const mail = useLoaderData<typeof loader>();
  return (
    <>
      <p>
        <Link to="/national/mail">{t('reports.mail.back')}</Link>
      </p>
      <h1>{mail.subject || mail.id}</h1>
      <dl className="facts">
        <dt>{t('reports.mail.date')}</dt>
        <dd>{mail.date}</dd>
        <dt>{t('reports.mail.from')}</dt>
        <dd>{mail.from}</dd>
        <dt>{t('reports.mail.to')}</dt>
        <dd>{mail.to}</dd>
      </dl>
      <h2>{t('reports.mail.text')}</h2>
      <pre className="mail-text">{mail.text}</pre>
      {mail.html ? (
        <>
          <h2>{t('reports.mail.html')}</h2>
          {/* Sandboxed with nothing allowed: the email's HTML cannot run script, submit or navigate this page. */}
          <iframe className="mail-frame" sandbox="" srcDoc={mail.html} title={t('reports.mail.htmlFrame')} />
        </>
      ) : null}
    </>
  );
}
