// Passkeys in the browser (@simplewebauthn/browser): confirming a sign-in with one, and adding
// one from the two-step verification page. Both need JavaScript and a browser that has WebAuthn,
// so they appear only once the page has hydrated in such a browser; without them the TOTP forms,
// which work everywhere, are all there is.
import { useSubmit } from '@remix-run/react';
import { browserSupportsWebAuthn, startAuthentication, startRegistration } from '@simplewebauthn/browser';
import { useEffect, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Field } from './field';
import { messageText } from './password-field';

function useWebAuthn(): boolean {
  const [supported, setSupported] = useState(false);
  useEffect(() => setSupported(browserSupportsWebAuthn()), []);
  return supported;
}

/** Asks a resource route for a ceremony's options; its error key when it refuses. */
async function optionsFrom<T>(path: string, form: Record<string, string>): Promise<{ options: T } | { error: string; field?: string }> {
  const res = await fetch(path, { method: 'POST', body: new URLSearchParams(form) });
  const body = (await res.json().catch(() => ({}))) as { options?: T; error?: string; field?: string };
  return res.ok && body.options ? { options: body.options } : { error: body.error ?? 'accounts.verify.passkeyFailed', field: body.field };
}

/** On the verification page: confirm the sign-in with a passkey instead of a code. */
export function PasskeySignIn() {
  const { t } = useTranslation();
  const submit = useSubmit();
  const supported = useWebAuthn();
  const [failed, setFailed] = useState<string | null>(null);
  if (!supported) return null;
  async function signInWithPasskey() {
    setFailed(null);
    const asked = await optionsFrom<Parameters<typeof startAuthentication>[0]['optionsJSON']>('/login/passkey', {});
    if ('error' in asked) return setFailed(asked.error);
    try {
      const response = await startAuthentication({ optionsJSON: asked.options });
      submit({ passkey: JSON.stringify(response) }, { method: 'post' });
    } catch {
      setFailed('accounts.verify.passkeyFailed');
    }
  }
  return (
    <div className="passkey-sign-in">
      <p>{t('accounts.verify.or')}</p>
      {failed ? (
        <p className="alert alert--error" role="alert">
          {messageText(t, failed)}
        </p>
      ) : null}
      <button type="button" onClick={signInWithPasskey}>
        {t('accounts.verify.passkey')}
      </button>
    </div>
  );
}

/** On the two-step verification page: add a passkey, with its name and the password. */
export function PasskeyAdd() {
  const { t } = useTranslation();
  const submit = useSubmit();
  const supported = useWebAuthn();
  const [problem, setProblem] = useState<{ error: string; field?: string } | null>(null);
  const [busy, setBusy] = useState(false);
  if (!supported) return null;
  async function add(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    setProblem(null);
    setBusy(true);
    try {
      const asked = await optionsFrom<Parameters<typeof startRegistration>[0]['optionsJSON']>('/account/passkeys', { password: String(form.get('password') ?? '') });
      if ('error' in asked) return setProblem(asked);
      const response = await startRegistration({ optionsJSON: asked.options }).catch(() => null);
      if (!response) return setProblem({ error: 'passkeys.failed' });
      submit({ intent: 'addPasskey', name: String(form.get('name') ?? ''), passkey: JSON.stringify(response) }, { method: 'post' });
    } finally {
      setBusy(false);
    }
  }
  const passwordError = problem?.field === 'password' ? [messageText(t, problem.error)] : undefined;
  return (
    <form onSubmit={add} className="passkey-add">
      {problem && !problem.field ? (
        <p className="alert alert--error" role="alert">
          {messageText(t, problem.error)}
        </p>
      ) : null}
      <Field id="passkey-name" label={t('passkeys.name')} help={t('passkeys.nameHelp')}>
        {(aria) => <input {...aria} name="name" type="text" required maxLength={60} autoComplete="off" />}
      </Field>
      <Field id="passkey-password" label={t('accounts.mfa.confirmPassword')} errors={passwordError}>
        {(aria) => <input {...aria} name="password" type="password" required autoComplete="current-password" />}
      </Field>
      <button type="submit" disabled={busy}>
        {busy ? t('passkeys.adding') : t('passkeys.add')}
      </button>
    </form>
  );
}
