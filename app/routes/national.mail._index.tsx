import type { LoaderFunctionArgs } from '@remix-run/node';
import { Link, useLoaderData } from '@remix-run/react';
import { useTranslation } from 'react-i18next';
import { notFound, requireNational } from '../auth/guards.server';
import { LISTED, listMail, mailboxDir } from '../operations/mailbox.server';
import { scrollRegion } from '../ui/table-region';
import { belgradeDateTime } from '../time/belgrade';

export async function loader({ request, context }: LoaderFunctionArgs) {
  await requireNational(context, request);
  const dir = mailboxDir();
  if (!dir) notFound();
  const { mails, total } = await listMail(dir);
  return {
    dir,
    total,
    mails: mails.map((m) => {
      const { date, time } = belgradeDateTime(m.date);
      return { id: m.id, to: m.to, subject: m.subject, date: `${date} ${time}` };
    }),
  };
}

export default function Mailbox() {
  const { t } = useTranslation();
  const { dir, total, mails } = useLoaderData<typeof loader>();
  return (
    <>
      <h1>{t('reports.mail.title')}</h1>
      <p className="lead">{t('reports.mail.lead', { dir })}</p>
      {total > mails.length ? <p>{t('reports.mail.shown', { shown: LISTED, count: total })}</p> : null}
      <div className="table-wrap" {...scrollRegion(t('reports.mail.caption'))}>
        <table className="data">
          <caption>{t('reports.mail.caption')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('reports.mail.date')}</th>
              <th scope="col">{t('reports.mail.to')}</th>
              <th scope="col">{t('reports.mail.subject')}</th>
            </tr>
          </thead>
          <tbody>
            {mails.length === 0 ? (
              <tr>
                <td colSpan={3}>{t('reports.mail.empty')}</td>
              </tr>
            ) : (
              mails.map((m) => (
                <tr key={m.id}>
                  <td className="nowrap">{m.date}</td>
                  <td>{m.to}</td>
                  <th scope="row">
                    {/* A whole page load: the email's page has a policy of its own (headers.server.ts). */}
                    <Link to={`/national/mail/${m.id}`} reloadDocument>
                      {m.subject || m.id}
                    </Link>
                  </th>
                </tr>
              ))
            )}
          </tbody>
        </table>
      </div>
    </>
  );
}
