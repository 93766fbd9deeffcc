import type { SubmissionResult } from '@conform-to/react';
import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from '@remix-run/node';
import { Form, useActionData, useLoaderData, useSearchParams } from '@remix-run/react';
import { useTranslation } from 'react-i18next';
import * as z from 'zod';
import { notFound, requireNational } from '../auth/guards.server';
import { asNationalCaller } from '../auth/national-scope.server';
import { FAILED_LISTED, isQueueName, jobStates, outboxBacklog, queueConfig, readQueues, retryFailed } from '../operations/queues.server';
import { ErrorSummary } from '../ui/field';
import { scrollRegion } from '../ui/table-region';
import { belgradeDateTime } from '../time/belgrade';
import { parseForm } from '../framework/form.server';

const PAGE = '/national/queues';

const when = (at: Date | null) => {
  if (!at) return '';
  const { date, time } = belgradeDateTime(at);
  return `${date} ${time}`;
};

/** An age as the page says it: seconds, minutes or hours. */
function ageText(t: (key: string, options: { count: number }) => string, seconds: number): string {
  if (seconds < 120) return t('reports.queues.seconds', { count: seconds });
  if (seconds < 7200) return t('reports.queues.minutes', { count: Math.floor(seconds / 60) });
  return t('reports.queues.hours', { count: Math.floor(seconds / 3600) });
}

export async function loader({ request, context }: LoaderFunctionArgs) {
  const access = await requireNational(context, request);
  const config = queueConfig();
  const [backlog, queues] = await Promise.all([asNationalCaller(access, (tx) => outboxBacklog(tx)), config ? readQueues(config) : null]);
  if (queues && !queues.ok) context.log.warn({ err: queues.error }, 'queue health: Redis does not answer');
  return {
    mode: !queues ? ('inProcess' as const) : queues.ok ? ('redis' as const) : ('unreachable' as const),
    backlog,
    queues: queues?.ok
      ? queues.value.map((q) => ({ ...q, failed: q.failed.map((j) => ({ ...j, failedAt: when(j.failedAt) })) }))
      : [],
  };
}

// The page's buttons: retry every failed job of a queue, or one of them by its id (BullMQ's, as listed).
const queueField = z.string({ error: 'input.forms.choice' }).refine(isQueueName, 'input.forms.choice');
const retrySchema = z.discriminatedUnion('intent', [
  z.object({ intent: z.literal('retryAll'), queue: queueField }),
  z.object({ intent: z.literal('retry'), queue: queueField, id: z.string({ error: 'input.forms.gone' }).regex(/^[\w:.-]{1,200}$/, 'input.forms.gone') }),
]);

type ActionData = { result: SubmissionResult<string[]> } | { error: string };

export async function action({ request, context }: ActionFunctionArgs) {
  await requireNational(context, request);
  const config = queueConfig();
  // In-process jobs retry from the outbox by themselves; there is no queue to act on.
  if (!config) notFound();
  const submission = await parseForm(request, retrySchema);
  if (submission.status !== 'success') return data<ActionData>({ result: submission.reply() }, { status: 400 });
  const choice = submission.value;
  const result = await retryFailed(config, choice.queue, choice.intent === 'retryAll' ? 'all' : { id: choice.id });
  if (!result.ok) {
    context.log.warn({ err: result.error }, 'queue retry: Redis does not answer');
    return data<ActionData>({ error: 'reports.queues.unreachable' }, { status: 503 });
  }
  context.log.info({ queue: choice.queue, job: choice.intent === 'retry' ? choice.id : 'all', retried: result.value }, 'failed jobs retried');
  throw redirect(`${PAGE}?retried=${result.value}`);
}

export default function QueueHealth() {
  const { t } = useTranslation();
  const { mode, backlog, queues } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>() as ActionData | undefined;
  const failedAction = actionData && 'error' in actionData ? actionData : undefined;
  // Hidden fields and buttons only: what is wrong with them is said once, at the top.
  const refused = actionData && 'result' in actionData ? Object.values(actionData.result.error ?? {}).flatMap((e) => e ?? []) : [];
  const [search] = useSearchParams();
  const retried = search.get('retried');
  return (
    <>
      <h1>{t('reports.queues.title')}</h1>
      <p className="lead">{t('reports.queues.lead')}</p>
      {retried && /^\d+$/.test(retried) ? (
        <p className="alert alert--ok" role="status">
          {t('reports.queues.retried', { count: Number(retried) })}
        </p>
      ) : null}
      <ErrorSummary title={t('form.errorSummary')} messages={[...new Set(refused)].map((e) => ({ text: t(e) }))} />
      {failedAction || mode === 'unreachable' ? (
        <p className="alert alert--error" role="alert">
          {t('reports.queues.unreachable')}
        </p>
      ) : null}
      {mode === 'inProcess' ? <p className="card">{t('reports.queues.inProcess')}</p> : null}

      <h2>{t('reports.queues.backlog')}</h2>
      <p>{t('reports.queues.backlogHelp', { pending: backlog.pending, due: backlog.dueNow, retrying: backlog.retrying })}</p>
      <h2>{t('reports.queues.oldest')}</h2>
      <p data-oldest-unfinished={backlog.oldestUnfinishedSeconds}>
        {backlog.oldestUnfinishedSeconds > 0 ? t('reports.queues.oldestHelp', { age: ageText(t, backlog.oldestUnfinishedSeconds) }) : t('reports.queues.oldestNone')}
      </p>

      {mode === 'redis' ? (
        <>
          <div className="table-wrap" {...scrollRegion(t('reports.queues.countsCaption'))}>
            <table className="data">
              <caption>{t('reports.queues.countsCaption')}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('reports.queues.queue')}</th>
                  {jobStates.map((s) => (
                    <th scope="col" key={s}>
                      {t(`reports.queues.states.${s}`)}
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {queues.map((q) => (
                  <tr key={q.name}>
                    <th scope="row">{t(`reports.queues.names.${q.name}`)}</th>
                    {jobStates.map((s) => (
                      <td key={s} className="num">
                        {q.counts[s]}
                      </td>
                    ))}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          {queues.map((q) => {
            const name = t(`reports.queues.names.${q.name}`);
            return (
              <section key={q.name} aria-labelledby={`failed-${q.name}`}>
                <h2 id={`failed-${q.name}`}>{name}</h2>
                {q.failed.length === 0 ? (
                  <p>{t('reports.queues.noFailed')}</p>
                ) : (
                  <>
                    {q.counts.failed > q.failed.length ? <p>{t('reports.queues.failedShown', { shown: FAILED_LISTED, count: q.counts.failed })}</p> : null}
                    <Form method="post" className="actions">
                      <input type="hidden" name="queue" value={q.name} />
                      <button type="submit" name="intent" value="retryAll" className="button secondary">
                        {t('reports.queues.retryAll', { queue: name })}
                      </button>
                    </Form>
                    <div className="table-wrap" {...scrollRegion(t('reports.queues.failedCaption', { queue: name }))}>
                      <table className="data">
                        <caption>{t('reports.queues.failedCaption', { queue: name })}</caption>
                        <thead>
                          <tr>
                            <th scope="col">{t('reports.queues.job')}</th>
                            <th scope="col">{t('reports.queues.id')}</th>
                            <th scope="col">{t('reports.queues.reason')}</th>
                            <th scope="col">{t('reports.queues.attempts')}</th>
                            <th scope="col">{t('reports.queues.failedAt')}</th>
                            <th scope="col">{t('reports.queues.retry')}</th>
                          </tr>
                        </thead>
                        <tbody>
                          {q.failed.map((j) => (
                            <tr key={j.id}>
                              <th scope="row">
                                <code>{j.name}</code>
                              </th>
                              <td>
                                <code>{j.id}</code>
                              </td>
                              <td>{j.reason}</td>
                              <td className="num">{j.attempts}</td>
                              <td className="nowrap">{j.failedAt}</td>
                              <td>
                                <Form method="post">
                                  <input type="hidden" name="queue" value={q.name} />
                                  <input type="hidden" name="id" value={j.id} />
                                  <button type="submit" name="intent" value="retry" className="button secondary" aria-label={t('reports.queues.retryJob', { id: j.id })}>
                                    {t('reports.queues.retry')}
                                  </button>
                                </Form>
                              </td>
                            </tr>
                          ))}
                        </tbody>
                      </table>
                    </div>
                  </>
                )}
              </section>
            );
          })}
        </>
      ) : null}
    </>
  );
}
