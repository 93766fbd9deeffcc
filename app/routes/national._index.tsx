import type { LoaderFunctionArgs } from '@remix-run/node';
import { Link, useLoaderData } from '@remix-run/react';
import { asc } from 'drizzle-orm';
import { useTranslation } from 'react-i18next';
import { tenants } from '#db/schema';
import { requireNational } from '../auth/guards.server';
import { asNationalCaller } from '../auth/national-scope.server';
import { db } from '../db.server';
import { adoptByNear, ADOPT_BY_NEAR_DAYS, failedJobs, signupsWaiting } from '../guide/national-waiting.server';
import { outboxBacklog, queueConfig } from '../operations/queues.server';
import { toLatin } from '../i18n/transliterate';
import { displayDate } from '../workflow/documents/format';
import { tenantName, useLocale } from '../ui/localized';
import { belgradeDateTime, belgradeDate } from '../time/belgrade';

export async function loader({ request, context }: LoaderFunctionArgs) {
  const access = await requireNational(context, request);
  const queues = queueConfig();
  const today = belgradeDate();
  const canReview = access.permissions.has('review:signup:national');
  const [rows, signups, adoptBy, failed] = await Promise.all([
    db()
      .select({ id: tenants.id, kind: tenants.kind, nameCyrl: tenants.nameCyrl, nameLatn: tenants.nameLatn, nameEn: tenants.nameEn, status: tenants.status })
      .from(tenants)
      .orderBy(asc(tenants.nameLatn)),
    canReview ? signupsWaiting(db()) : null,
    adoptByNear(db(), today),
    // In-process jobs retry from the outbox: the rows tried before are the ones in trouble.
    queues ? failedJobs(queues) : asNationalCaller(access, (tx) => outboxBacklog(tx)).then((b) => b.retrying),
  ]);
  return { organisations: rows, signups, adoptBy, failed, nearDays: ADOPT_BY_NEAR_DAYS };
}

export default function NationalHome() {
  const { t } = useTranslation();
  const locale = useLocale();
  const { organisations, signups, adoptBy, failed, nearDays } = useLoaderData<typeof loader>();
  return (
    <>
      <h1>{t('national.title')}</h1>
      <p className="lead">{t('national.lead')}</p>
      <section aria-labelledby="waiting-title">
        <h2 id="waiting-title">{t('guide.national.waitingTitle')}</h2>
        <div className="waiting">
          {signups ? (
            <div className={signups.count ? 'card attention' : 'card'}>
              {signups.count ? (
                <>
                  <p>
                    <span className="waiting__count">{signups.count}</span> {t('guide.national.signups', { count: signups.count })}
                  </p>
                  {signups.oldest ? <p>{t('guide.national.oldest', { date: belgradeDateTime(new Date(signups.oldest)).date })}</p> : null}
                  <p>
                    <Link className="button" to="/national/signups">
                      {t('guide.national.review')}
                    </Link>
                  </p>
                </>
              ) : (
                <p>{t('guide.national.signupsNone')}</p>
              )}
            </div>
          ) : null}
          <div className={failed ? 'card attention' : 'card'}>
            {failed === null ? (
              <p>{t('guide.national.failedUnknown')}</p>
            ) : failed ? (
              <p>
                <span className="waiting__count">{failed}</span> {t('guide.national.failed', { count: failed })}
              </p>
            ) : (
              <p>{t('guide.national.failedNone')}</p>
            )}
            {failed !== 0 ? (
              <p>
                <Link to="/national/queues">{t('guide.national.queues')}</Link>
              </p>
            ) : null}
          </div>
          <div className={adoptBy.length ? 'card attention' : 'card'}>
            {adoptBy.length ? (
              <>
                <p>
                  <span className="waiting__count">{adoptBy.length}</span> {t('guide.national.adoptBy', { count: adoptBy.length, days: nearDays })}
                </p>
                <ul>
                  {adoptBy.map((v) => (
                    <li key={`${v.key}-${v.version}`}>
                      <Link to={`/national/templates/${v.key}`}>{t('guide.national.adoptByItem', { title: v.title[locale] ?? (v.title['sr-Cyrl'] ? toLatin(v.title['sr-Cyrl']) : v.key), version: v.version, date: displayDate(v.adoptBy) })}</Link>
                    </li>
                  ))}
                </ul>
              </>
            ) : (
              <p>{t('guide.national.adoptByNone', { days: nearDays })}</p>
            )}
            <p>
              <Link to="/national/templates">{t('guide.national.templates')}</Link>
            </p>
          </div>
        </div>
      </section>
      <h2>{t('national.organisations')}</h2>
      <ul className="plain choices">
        {organisations.map((o) => (
          <li key={o.id} className="choice">
            {tenantName(o, locale)}
            <small>
              {t(`tenants.kinds.${o.kind}`)}
              {o.status === 'suspended' ? ` — ${t('login.suspended')}` : ''}
            </small>
          </li>
        ))}
      </ul>
    </>
  );
}
