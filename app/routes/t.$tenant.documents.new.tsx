import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from '@remix-run/node';
import { Form, useLoaderData } from '@remix-run/react';
import { useTranslation } from 'react-i18next';
import * as z from 'zod';
import { tenantAdoptions } from '#tenants/adoption';
import { actorOf, changeAsMember, notFound, readAsMember, requireUser } from '../auth/guards.server';
import { domainError } from '../errors';
import { isUuid } from '../ids';
import { useLocale } from '../ui/localized';
import { createDocument } from '../workflow/engine/create-document.server';
import { SLUG, templateVersionSchema } from '../workflow/template/schema';
import { parseForm } from '../framework/form.server';

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const { data: adopted } = await readAsMember(context, request, params.tenant, 'create:document:own', (tx, me) => tenantAdoptions(tx, me.tenantId));
  return {
    templates: adopted
      .map((a) => {
        const def = templateVersionSchema.parse(a.definition);
        return { key: a.key, title: def.title, description: def.description ?? null, aggregate: !!def.aggregate };
      })
      .sort((a, b) => a.key.localeCompare(b.key)),
  };
}

// A template's button, and on a card the buttons that start a document from it (`from`) or correct it (`corrects`).
const newDocumentSchema = z.object({
  template: z.string().max(64).regex(SLUG),
  from: z.string().refine(isUuid).optional(),
  corrects: z.string().refine(isUuid).optional(),
});

export async function action({ request, context, params }: ActionFunctionArgs) {
  requireUser(context, request);
  const submission = await parseForm(request, newDocumentSchema);
  const slug = params.tenant!;
  // No template by that key, or a source that is no document's id (like one of another tenant): it confirms nothing, 404.
  if (submission.status !== 'success') notFound();
  const { template, from, corrects } = submission.value;
  try {
    const doc = await changeAsMember(context, request, slug, 'create:document:own', (tx, member) =>
      createDocument(tx, actorOf(member, context), { templateKey: template, sourceDocumentId: from ?? null, correctsDocumentId: corrects ?? null }),
    );
    throw redirect(`/t/${slug}/documents/${doc.id}`);
  } catch (error) {
    // Whatever the engine refuses (an unadopted template, a document that is not a source of it) is not found here.
    if (domainError(error)) notFound();
    throw error;
  }
}

export default function NewDocument() {
  const { t } = useTranslation();
  const locale = useLocale();
  const { templates } = useLoaderData<typeof loader>();
  return (
    <>
      <h1>{t('documents.newTitle')}</h1>
      <p className="lead">{t('documents.newLead')}</p>
      {templates.length ? null : <p className="card">{t('documents.noTemplates')}</p>}
      <ul className="plain choices">
        {templates.map((tpl) => (
          <li key={tpl.key}>
            <Form method="post" className="card">
              <input type="hidden" name="template" value={tpl.key} />
              <h2>{tpl.title[locale]}</h2>
              {tpl.description ? <p>{tpl.description[locale]}</p> : null}
              <button type="submit" className="primary" aria-label={`${t('documents.start')}: ${tpl.title[locale]}`}>
                {t('documents.start')}
              </button>
            </Form>
          </li>
        ))}
      </ul>
    </>
  );
}
