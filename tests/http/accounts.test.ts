// Accounts through HTTP, as a browser without JavaScript and as an attacker: the password policy
// on every path that sets a password, password change and reset, the second factor where it is
// required, and throttling that an attacker cannot turn against the real owner. Client
// addresses are real: each attacker or user connects from its own loopback address.
import { sql } from 'drizzle-orm';
import { Secret, TOTP } from 'otpauth';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rowsOf } from '#db/rows';
import { withTenantOn } from '#db/tenant';
import { DEMO_PASSWORD } from '#tenants/demo';
import { issueInvitationToken } from '#tenants/invitations';
import { inviteOne } from '#tenants/staff';
import { drainOutbox } from '#jobs/inline';
import { createMailer, type Mailer } from '#jobs/email/transport';
import { Client } from '#tests/support/http';
import { startApp, type RunningApp } from '#tests/support/server';
import { startSmtp, type TestSmtp } from '#tests/support/smtp';

let app: RunningApp;
let smtp: TestSmtp;
let mailer: Mailer;
beforeAll(async () => {
  [app, smtp] = await Promise.all([startApp({ MFA_FOR_STAFF: 'required' }), startSmtp()]);
  mailer = createMailer({ smtpUrl: smtp.url, mailDir: '.data/test-mail', from: 'Delovod <no-reply@delovod.test>' });
  // The demo's own emails are not what these tests look at.
  await app.owner.db.execute(sql`update outbox set relayed_at = now()`);
});
afterAll(async () => {
  mailer?.close();
  await smtp?.close();
  await app?.stop();
});

const STRONG = 'plavi konj trči preko mosta';
const STRONG_2 = 'zelena reka nosi stare čamce';

/** A client connecting from its own loopback address. */
let clients = 0;
const newClient = () => {
  const n = clients++;
  return new Client(app.url, `127.1.${Math.floor(n / 250)}.${(n % 250) + 2}`);
};

const query = async <T,>(q: ReturnType<typeof sql>) => rowsOf<T>(await app.owner.db.execute(q));

const codeAt = (secret: string, at: number) => TOTP.generate({ secret: Secret.fromBase32(secret), algorithm: 'SHA1', digits: 6, period: 30, timestamp: at });

function secretOf(html: string): string {
  const match = /class="totp-key">([A-Z2-7 ]+)</.exec(html);
  if (!match) throw new Error('no key on the page');
  return match[1].replace(/ /g, '');
}

const recoveryCodesOf = (html: string) => [...html.matchAll(/<code>([0-9A-Z]{4}(?:-[0-9A-Z]{4}){5})<\/code>/g)].map((m) => m[1]);

/** The text beside a field: conform renders it in `<span id="<field id>-error">`. */
function fieldError(html: string, name: string): string {
  const match = new RegExp(`id="([^"]*-${name})-error"[^>]*>([^<]*)<`).exec(html);
  return match ? match[2] : '';
}

/** Signs in with the password; the answer is where the sign-in continues. */
async function password(c: Client, email: string, pw = DEMO_PASSWORD, redirectTo?: string): Promise<Response> {
  return c.post('/login', { email, password: pw, ...(redirectTo ? { redirectTo } : {}) });
}

/** Enrols TOTP at a sign-in that requires it; the secret and the recovery codes shown once. */
async function enrolAtSignIn(c: Client, email: string): Promise<{ secret: string; codes: string[]; code: string; at: number }> {
  const res = await password(c, email);
  expect(res.status).toBe(302);
  expect(res.headers.get('location')).toBe('/login/enrol');
  const secret = secretOf(await (await c.get('/login/enrol')).text());
  const at = Date.now();
  const code = codeAt(secret, at);
  const done = await c.post('/login/enrol', { code });
  expect(done.status).toBe(200);
  const codes = recoveryCodesOf(await done.text());
  expect(codes).toHaveLength(10);
  return { secret, codes, code, at };
}

/** Recovery codes of Surdulica's administrator, for the sign-ins after the TOTP window is spent. */
let adminCodes: string[] = [];

async function tenantId(slug: string): Promise<string> {
  const [row] = await query<{ id: string }>(sql`select id from tenants where slug = ${slug}`);
  return row.id;
}

/** An invitation to Surdulica and its link, as the email job would mint it. */
async function invite(email: string, fullName: string, roles: Array<'employee' | 'tenant_admin'> = ['employee']): Promise<string> {
  const id = await tenantId('surdulica');
  return withTenantOn(app.app.db, { tenantId: id }, async (tx) => {
    const [admin] = rowsOf<{ id: string }>(await tx.execute(sql`select id from users where email = 'milos.tomic@surdulica.test'`));
    const result = await inviteOne(tx, id, { userId: admin.id, ip: null, userAgent: null }, { email, fullName, position: 'Референт', roles });
    if (!result.ok) throw new Error(result.message);
    return (await issueInvitationToken(tx, id, result.invitationId))!;
  });
}

/**
 * Runs the outbox's jobs as the worker would (the email job mints the reset link and sends it to
 * the SMTP server), and returns the link of the newest email to `to`, or null if none came.
 */
async function resetLinkFor(to: string): Promise<string | null> {
  const before = smtp.delivered.length;
  await drainOutbox({ db: app.app.db, mailer, log: pino({ level: 'silent' }), now: () => new Date() });
  const mail = smtp.delivered
    .slice(before)
    .reverse()
    .find((m) => m.to && !Array.isArray(m.to) && m.to.value.some((a) => a.address === to));
  if (!mail) return null;
  expect(mail.subject).toBe('Деловод: постављање нове лозинке');
  return /\/login\/reset\/([A-Za-z0-9_-]{43})/.exec(mail.text ?? '')![1];
}

describe('password policy', () => {
  it('refuses short, common and context passwords beside the field when accepting an invitation, and keeps nothing typed', async () => {
    const token = await invite('teodora.vasic@surdulica.test', 'Теодора Васић');
    const c = newClient();
    const cases: Array<[string, string]> = [
      ['kratka', 'Најмање 12 знакова.'],
      ['password1234', 'Ово је једна од најчешћих лозинки'],
      ['qwertyuiop12', 'Ово је једна од најчешћих лозинки'],
      ['Surdulica-2026!', 'састављена од вашег имена, адресе е-поште, назива ваше организације'],
      ['Teodora-Vasic-1990', 'састављена од вашег имена'],
      ['deLovod.2026.ok', 'састављена од вашег имена'],
      ['aaaaaaaaaaaaaaaa', 'Ова лозинка би брзо била погођена'],
    ];
    for (const [pw, message] of cases) {
      const res = await c.post(`/invite/${token}`, { password: pw, confirm: pw });
      expect(res.status, pw).toBe(400);
      const html = await res.text();
      expect(fieldError(html, 'password'), pw).toContain(message);
      expect(html).not.toContain(`value="${pw}"`);
    }
    // Paste and any characters: a passphrase with spaces and Serbian letters is taken.
    const ok = await c.post(`/invite/${token}`, { password: STRONG, confirm: STRONG });
    expect(ok.status).toBe(302);
    expect(ok.headers.get('location')).toBe('/t/surdulica/inbox');
  });

  it('allows long passwords (128 characters) and refuses longer ones', async () => {
    const token = await invite('bojan.ristic@surdulica.test', 'Бојан Ристић');
    const c = newClient();
    const long = 'plavi konj trči preko mosta, zelena reka nosi stare čamce, a sova gleda kroz prozor na brdu iznad sela i čeka da padne noć, jer...';
    expect([...long].length).toBe(130);
    const refused = await c.post(`/invite/${token}`, { password: long, confirm: long });
    expect(fieldError(await refused.text(), 'password')).toContain('Највише 128 знакова.');
    const fits = [...long].slice(0, 128).join('');
    expect((await c.post(`/invite/${token}`, { password: fits, confirm: fits })).status).toBe(302);
  });

  it('refuses guessable passwords in the signup wizard, the organisation’s name among them', async () => {
    const c = newClient();
    await c.post('/signup', { intent: 'start' });
    const body = await c.post('/signup/body', { intent: 'next', kind: 'municipality', nameCyrl: 'Општина Бабушница', maticniBroj: '07245360', pib: '100981009', address: 'Трг 1' });
    expect(body.headers.get('location')).toBe('/signup/admin');
    const admin = { intent: 'next', fullName: 'Горан Николић', position: 'Администратор', email: 'goran@babusnica.test' };
    for (const [pw, message] of [
      ['Babusnica-2026!', 'назива ваше организације'],
      ['iloveyou1234', 'најчешћих лозинки'],
    ]) {
      const res = await c.post('/signup/admin', { ...admin, password: pw, confirm: pw });
      expect(res.status).toBe(400);
      const html = await res.text();
      expect(fieldError(html, 'password')).toContain(message);
      // What was typed, but the password, is kept.
      expect(html).toContain('value="Горан Николић"');
    }
    const ok = await c.post('/signup/admin', { ...admin, password: STRONG, confirm: STRONG });
    expect(ok.headers.get('location')).toBe('/signup/units');
  });
});

describe('password change', () => {
  it('needs the current password, applies the policy, ends every other session and rotates this one', async () => {
    const here = newClient();
    const elsewhere = newClient();
    expect((await password(here, 'nikola.petrovic@surdulica.test')).status).toBe(302);
    expect((await password(elsewhere, 'nikola.petrovic@surdulica.test')).status).toBe(302);
    const before = here.cookieHeader();

    const wrong = await here.post('/account/password', { current: 'not my password', password: STRONG, confirm: STRONG });
    expect(wrong.status).toBe(401);
    expect(fieldError(await wrong.text(), 'current')).toBe('Тренутна лозинка није исправна.');
    for (const [pw, message] of [
      ['Nikola-Petrovic-77', 'састављена од вашег имена'],
      ['Surdulica12345', 'назива ваше организације'],
      ['1q2w3e4r5t6y', 'најчешћих лозинки'],
    ]) {
      const res = await here.post('/account/password', { current: DEMO_PASSWORD, password: pw, confirm: pw });
      expect(res.status, pw).toBe(400);
      expect(fieldError(await res.text(), 'password'), pw).toContain(message);
    }
    const mismatch = await here.post('/account/password', { current: DEMO_PASSWORD, password: STRONG, confirm: STRONG_2 });
    expect(fieldError(await mismatch.text(), 'confirm')).toBe('Лозинке се разликују.');

    const changed = await here.post('/account/password', { current: DEMO_PASSWORD, password: STRONG, confirm: STRONG });
    expect(changed.status).toBe(302);
    expect(changed.headers.get('location')).toBe('/account?changed=password');
    // This browser goes on, in a new session; the other one and the old cookie are dead.
    expect(here.cookieHeader()).not.toBe(before);
    expect((await here.get('/t/surdulica/inbox')).status).toBe(200);
    expect((await elsewhere.get('/t/surdulica/inbox')).headers.get('location')).toMatch(/^\/login\?/);
    const stale = new Client(app.url);
    const res = await stale.get('/t/surdulica/inbox', { cookie: before });
    expect(res.headers.get('location')).toMatch(/^\/login\?/);
    const [{ n }] = await query<{ n: number }>(sql`select count(*)::int as n from sessions s join users u on u.id = s.user_id where u.email = 'nikola.petrovic@surdulica.test'`);
    expect(n).toBe(1);
    // The new password signs in; the old one does not.
    expect((await password(newClient(), 'nikola.petrovic@surdulica.test')).status).toBe(401);
    expect((await password(newClient(), 'nikola.petrovic@surdulica.test', STRONG)).status).toBe(302);
  });
});

describe('password reset', () => {
  it('answers the same for an address with an account and one without, in words, status and time', async () => {
    const ask = async (email: string) => {
      const c = newClient();
      const started = performance.now();
      const res = await c.post('/login/forgot', { email });
      const ms = performance.now() - started;
      // Every page carries a fresh CSP nonce; all else must be byte for byte the same.
      const html = (await res.text()).replaceAll(email, 'EMAIL').replace(/nonce="[^"]+"/g, 'nonce="N"');
      return { status: res.status, html, ms };
    };
    // Forty accounts (each address may be asked for only a few times), forty unknown addresses.
    const known = Array.from({ length: 40 }, (_, i) => `reset.timing.${i}@surdulica.test`);
    for (const email of known) await app.owner.db.execute(sql`insert into users (email, password_hash) values (${email}, 'x')`);
    const unknown = known.map((e) => `nobody.${e}`);
    await ask('warm.up@nowhere.test');
    const times: { known: number[]; unknown: number[] } = { known: [], unknown: [] };
    let reference: { status: number; html: string } | null = null;
    for (let i = 0; i < known.length; i++) {
      // Interleaved, the order swapped every other pair: the machine's load falls on both alike.
      const pair = [['known', known[i]], ['unknown', unknown[i]]] as const;
      for (const [kind, email] of i % 2 ? [...pair].reverse() : pair) {
        const r = await ask(email);
        times[kind].push(r.ms);
        reference ??= r;
        expect(r.status).toBe(200);
        expect(r.html).toBe(reference.html);
      }
    }
    expect(reference!.html).toContain('Ако неки налог користи EMAIL, веза за постављање нове лозинке је на путу.');
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
    // The same statements run either way: what is left is this machine's noise, which an
    // attacker sees too. A difference of the size of a password hash or an email sent while
    // answering (50 ms and more here) would show; the medians differ by far less.
    const [k, u] = [median(times.known), median(times.unknown)];
    expect(Math.abs(k - u), JSON.stringify(times)).toBeLessThan(Math.max(20, Math.min(k, u) * 0.4));
    // Both asked for an email; only the accounts' will carry a link.
    const [{ n }] = await query<{ n: number }>(sql`select count(*)::int as n from outbox where job = 'email.passwordReset'`);
    expect(n).toBe(known.length * 2 + 1);
    const [{ without }] = await query<{ without: number }>(sql`select count(*)::int as without from password_resets where user_id is null`);
    expect(without).toBe(unknown.length + 1);
  });

  it('works once, within 30 minutes, ends every session, and still asks for the second factor', async () => {
    const owner = newClient();
    const email = 'jelena.djordjevic@surdulica.test';
    expect((await password(owner, email)).status).toBe(302);
    // Jelena has TOTP.
    const page = await (await owner.get('/account/mfa')).text();
    const secret = secretOf(page);
    expect((await owner.post('/account/mfa', { intent: 'enrol', code: codeAt(secret, Date.now()), password: DEMO_PASSWORD })).status).toBe(200);
    const session = owner.cookieHeader();

    const asker = newClient();
    await asker.post('/login/forgot', { email });
    const token = (await resetLinkFor(email))!;
    const form = await asker.get(`/login/reset/${token}`);
    expect(form.status).toBe(200);
    expect(await form.text()).toContain(email);
    const weak = await asker.post(`/login/reset/${token}`, { password: 'Jelena-2026!!', confirm: 'Jelena-2026!!' });
    expect(weak.status).toBe(400);
    expect(fieldError(await weak.text(), 'password')).toContain('састављена од вашег имена');

    const done = await asker.post(`/login/reset/${token}`, { password: STRONG_2, confirm: STRONG_2 });
    expect(done.status).toBe(302);
    expect(done.headers.get('location')).toBe('/login?reset=1');
    // No session was started, and the one that existed is over.
    expect(asker.cookieHeader()).not.toMatch(/delovod_session/);
    expect((await new Client(app.url).get('/t/surdulica/inbox', { cookie: session })).headers.get('location')).toMatch(/^\/login\?/);
    // Once only.
    expect((await asker.get(`/login/reset/${token}`)).status).toBe(404);
    expect((await asker.post(`/login/reset/${token}`, { password: STRONG, confirm: STRONG })).status).toBe(410);
    // The new password leads to the second factor, not into the account.
    const again = await password(newClient(), email, STRONG_2);
    expect(again.headers.get('location')).toBe('/login/verify');

    // A link past its 30 minutes does not work.
    await asker.post('/login/forgot', { email: 'dragan.jovanovic@surdulica.test' });
    const late = (await resetLinkFor('dragan.jovanovic@surdulica.test'))!;
    expect((await asker.get(`/login/reset/${late}`)).status).toBe(200);
    await app.owner.db.execute(sql`update password_resets set expires_at = now() - interval '1 second' where token_hash is not null and used_at is null`);
    expect((await asker.get(`/login/reset/${late}`)).status).toBe(404);
    expect((await asker.post(`/login/reset/${late}`, { password: STRONG, confirm: STRONG })).status).toBe(410);
  });

  it('sends no link for an address without an account', async () => {
    await newClient().post('/login/forgot', { email: 'no.such.person@surdulica.test' });
    const sent = smtp.delivered.length;
    expect(await resetLinkFor('no.such.person@surdulica.test')).toBeNull();
    expect(smtp.delivered.length).toBe(sent);
    // The job ran and found nobody to write to.
    const national = await tenantId('national');
    const [last] = await withTenantOn(app.app.db, { tenantId: national }, async (tx) =>
      rowsOf<{ status: string }>(
        await tx.execute(sql`select d.status from email_deliveries d join outbox o on o.tenant_id = d.tenant_id and o.id = d.outbox_id where o.job = 'email.passwordReset' order by o.created_at desc limit 1`),
      ),
    );
    expect(last.status).toBe('skipped');
  });
});

describe('second factor', () => {
  it('is required of national-office staff before anything else, whatever address they try', async () => {
    const c = newClient();
    const res = await password(c, 'petar.nikolic@ite.test', DEMO_PASSWORD, '/national/signups');
    expect(res.headers.get('location')).toBe('/login/enrol');
    // Half signed in is not signed in: every page sends back to the sign-in.
    for (const path of ['/national', '/national/signups', '/t/national/inbox', '/tenants', '/account/mfa', '/account/password', '/login/verify']) {
      const r = await c.get(path);
      expect(r.status, path).toBe(302);
      expect(r.headers.get('location'), path).toMatch(/^\/login/);
    }
    const page = await (await c.get('/login/enrol')).text();
    expect(page).toContain('<svg');
    const secret = secretOf(page);
    const wrong = await c.post('/login/enrol', { code: '000000' === codeAt(secret, Date.now()) ? '111111' : '000000' });
    expect(wrong.status).toBe(401);
    expect(fieldError(await wrong.text(), 'code')).toContain('Код није исправан.');
    const done = await c.post('/login/enrol', { code: codeAt(secret, Date.now()) });
    expect(done.status).toBe(200);
    expect(recoveryCodesOf(await done.text())).toHaveLength(10);
    expect((await c.get('/national/signups')).status).toBe(200);
    // Required: it cannot be turned off.
    const off = await c.post('/account/mfa', { intent: 'disable', password: DEMO_PASSWORD });
    expect(off.status).toBe(403);
  });

  it('is required of tenant administrators; the next sign-in asks for a code, each code is good once', async () => {
    const c = newClient();
    const { secret, codes, code, at } = await enrolAtSignIn(c, 'milos.tomic@surdulica.test');
    adminCodes = codes.slice(2);
    expect((await c.get('/t/surdulica/admin/staff')).status).toBe(200);

    const next = newClient();
    expect((await password(next, 'milos.tomic@surdulica.test', DEMO_PASSWORD, '/t/surdulica/admin/staff')).headers.get('location')).toBe('/login/verify');
    expect((await next.get('/t/surdulica/admin/staff')).headers.get('location')).toMatch(/^\/login\?/);
    // The enrolment's code was spent; the code of the next time step (within the window) is not.
    const used = await next.post('/login/verify', { code });
    expect(used.status).toBe(401);
    const fresh = codeAt(secret, at + 30_000);
    const ok = await next.post('/login/verify', { code: fresh });
    expect(ok.status).toBe(302);
    expect(ok.headers.get('location')).toBe('/t/surdulica/admin/staff');
    expect((await next.get('/t/surdulica/admin/staff')).status).toBe(200);
    // The same code again, at another sign-in: refused (no replay within its window).
    const replay = newClient();
    await password(replay, 'milos.tomic@surdulica.test');
    expect((await replay.post('/login/verify', { code: fresh })).status).toBe(401);
    // A recovery code works once, typed in any case and grouping.
    const typed = codes[0].toLowerCase().replace(/-/g, ' ');
    expect((await replay.post('/login/verify', { code: typed })).status).toBe(302);
    const again = newClient();
    await password(again, 'milos.tomic@surdulica.test');
    expect((await again.post('/login/verify', { code: codes[0] })).status).toBe(401);
    expect((await again.post('/login/verify', { code: codes[1] })).status).toBe(302);
  });

  it('is not asked of other staff until their organisation requires it of everyone', async () => {
    const member = newClient();
    expect((await password(member, 'dragan.jovanovic@surdulica.test')).headers.get('location')).toBe('/tenants');

    // Surdulica's administrator (enrolled above) requires it of everyone.
    const admin = newClient();
    await password(admin, 'milos.tomic@surdulica.test');
    // The TOTP steps of this half-minute are spent: a recovery code.
    expect((await admin.post('/login/verify', { code: adminCodes.shift()! })).status).toBe(302);
    const set = await admin.post('/t/surdulica/admin/settings', { intent: 'requireMfa', requireMfa: 'on' });
    expect(set.headers.get('location')).toContain('notice=mfaOn');

    expect((await password(newClient(), 'dragan.jovanovic@surdulica.test')).headers.get('location')).toBe('/login/enrol');
    // A member of APR only is not concerned.
    expect((await password(newClient(), 'stefan.lazic@apr.test')).headers.get('location')).toBe('/tenants');
    await admin.post('/t/surdulica/admin/settings', { intent: 'requireMfa' });
    expect((await password(newClient(), 'dragan.jovanovic@surdulica.test')).headers.get('location')).toBe('/tenants');
  });

  it('can be turned on and off from the account page by staff for whom it is optional, with the password', async () => {
    const c = newClient();
    await password(c, 'stefan.lazic@apr.test');
    const secret = secretOf(await (await c.get('/account/mfa')).text());
    const noPassword = await c.post('/account/mfa', { intent: 'enrol', code: codeAt(secret, Date.now()), password: 'wrong password' });
    expect(noPassword.status).toBe(401);
    expect(fieldError(await noPassword.text(), 'password')).toBe('Лозинка није исправна.');
    const on = await c.post('/account/mfa', { intent: 'enrol', code: codeAt(secret, Date.now()), password: DEMO_PASSWORD });
    expect(on.status).toBe(200);
    expect(recoveryCodesOf(await on.text())).toHaveLength(10);
    expect((await password(newClient(), 'stefan.lazic@apr.test')).headers.get('location')).toBe('/login/verify');
    const off = await c.post('/account/mfa', { intent: 'disable', password: DEMO_PASSWORD });
    expect(off.headers.get('location')).toBe('/account/mfa?notice=off');
    expect((await password(newClient(), 'stefan.lazic@apr.test')).headers.get('location')).toBe('/tenants');
  });

  it('is asked for when an invitation is accepted with an existing password', async () => {
    // Ana (national office, TOTP enrolled at her first sign-in) is invited to Surdulica.
    const { secret, at } = await enrolAtSignIn(newClient(), 'ana.markovic@ite.test');
    const token = await invite('ana.markovic@ite.test', 'Ана Марковић');
    const c = newClient();
    const accepted = await c.post(`/invite/${token}`, { password: DEMO_PASSWORD });
    expect(accepted.headers.get('location')).toBe('/login/verify');
    expect((await c.get('/t/surdulica/inbox')).headers.get('location')).toMatch(/^\/login\?/);
    const ok = await c.post('/login/verify', { code: codeAt(secret, at + 30_000) });
    expect(ok.headers.get('location')).toBe('/t/surdulica/inbox');
  });

  it('makes a newly invited administrator enrol before reaching the tenant', async () => {
    const token = await invite('nova.admin@surdulica.test', 'Нова Админ', ['tenant_admin', 'employee']);
    const c = newClient();
    const accepted = await c.post(`/invite/${token}`, { password: STRONG, confirm: STRONG });
    expect(accepted.headers.get('location')).toBe('/login/enrol');
    expect((await c.get('/t/surdulica/inbox')).headers.get('location')).toMatch(/^\/login\?/);
  });
});

describe('throttling', () => {
  it('counts failures per account: the account is slowed for everyone the account has not signed in from', async () => {
    const email = 'marija.stojanovic@surdulica.test';
    // Marija signed in before from her browser (its device cookie) and her office address.
    const office = '127.0.1.1';
    const browser = new Client(app.url, office);
    expect((await password(browser, email)).status).toBe(302);
    await browser.post('/logout', {});

    const attacker = newClient();
    for (let i = 0; i < 5; i++) expect((await password(attacker, email, `guess ${i}`)).status).toBe(401);
    const blocked = await password(attacker, email);
    expect(blocked.status).toBe(429);
    expect(Number(blocked.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(await blocked.text()).toContain('Превише покушаја.');
    // Another address the account never signed in from is slowed too (the account's count).
    expect((await password(newClient(), email)).status).toBe(429);

    // While the attacker keeps at it, the owner signs in from her browser…
    for (let i = 0; i < 3; i++) expect((await password(attacker, email, `more ${i}`)).status).toBe(429);
    expect((await password(browser, email)).status).toBe(302);
    // …and from her office's address without the cookie.
    const sameOffice = new Client(app.url, office);
    expect((await password(sameOffice, email)).status).toBe(302);
  });

  it('counts failures per client address across accounts', async () => {
    const sprayer = newClient();
    for (let i = 0; i < 30; i++) expect((await password(sprayer, `person${i}@surdulica.test`, 'Leto2026!Leto')).status).toBe(401);
    expect((await password(sprayer, 'snezana.mitic@surdulica.test')).status).toBe(429);
    // Others, elsewhere, are not affected.
    expect((await password(newClient(), 'snezana.mitic@surdulica.test')).status).toBe(302);
  });

  it('limits a device that guesses the account it once signed in to, without blocking the account elsewhere', async () => {
    const email = 'ljiljana.cvetkovic@surdulica.test';
    const shared = newClient();
    expect((await password(shared, email)).status).toBe(302);
    await shared.post('/logout', {});
    for (let i = 0; i < 5; i++) expect((await password(shared, email, `guess ${i}`)).status).toBe(401);
    expect((await password(shared, email)).status).toBe(429);
    expect((await password(newClient(), email)).status).toBe(302);
  });

  it('throttles the second factor’s codes the same way', async () => {
    const email = 'milica.savic@apr.test';
    const { secret, at } = await enrolAtSignIn(newClient(), email);
    const attacker = newClient();
    expect((await password(attacker, email)).headers.get('location')).toBe('/login/verify');
    const good = codeAt(secret, at + 30_000);
    const bad = good === '123456' ? '654321' : '123456';
    for (let i = 0; i < 5; i++) expect((await attacker.post('/login/verify', { code: bad })).status).toBe(401);
    const blocked = await attacker.post('/login/verify', { code: good });
    expect(blocked.status).toBe(429);
  });

  it('does not give someone who has the password a fresh count of code guesses for entering it again, nor lock the owner out', async () => {
    const email = 'ivana.stankovic@surdulica.test';
    // Ivana turns TOTP on from her browser, which is then a context she has signed in from.
    const owner = newClient();
    expect((await password(owner, email)).status).toBe(302);
    const secret = secretOf(await (await owner.get('/account/mfa')).text());
    const at = Date.now();
    const on = await owner.post('/account/mfa', { intent: 'enrol', code: codeAt(secret, at), password: DEMO_PASSWORD });
    expect(on.status).toBe(200);
    const codes = recoveryCodesOf(await on.text());
    await owner.post('/logout', {});
    const bad = (good: string) => (good === '123456' ? '654321' : '123456');
    const attacker = newClient();
    expect((await password(attacker, email)).headers.get('location')).toBe('/login/verify');
    for (let i = 0; i < 4; i++) expect((await attacker.post('/login/verify', { code: bad(codeAt(secret, at + 30_000)) })).status).toBe(401);
    // The password again (right, so it is checked and accepted): the codes' count goes on.
    expect((await password(attacker, email)).headers.get('location')).toBe('/login/verify');
    expect((await attacker.post('/login/verify', { code: bad(codeAt(secret, at + 30_000)) })).status).toBe(401);
    expect((await attacker.post('/login/verify', { code: codeAt(secret, at + 30_000) })).status).toBe(429);
    // The owner, in her own browser, still gets in with a code.
    expect((await password(owner, email)).headers.get('location')).toBe('/login/verify');
    expect((await owner.post('/login/verify', { code: codes[0] })).status).toBe(302);
  });

  it('throttles the current password of a password change and of an invitation for an existing account', async () => {
    const c = newClient();
    await password(c, 'vesna.popovic@apr.test');
    for (let i = 0; i < 5; i++) expect((await c.post('/account/password', { current: `guess ${i}`, password: STRONG, confirm: STRONG })).status).toBe(401);
    expect((await c.post('/account/password', { current: DEMO_PASSWORD, password: STRONG, confirm: STRONG })).status).toBe(429);

    const token = await invite('zoran.ilic.apr@surdulica.test', 'Зоран');
    // The invited account exists already with a password of its own (another organisation).
    await app.owner.db.execute(sql`update users set password_hash = (select password_hash from users where email = 'vesna.popovic@apr.test') where email = 'zoran.ilic.apr@surdulica.test'`);
    const guesser = newClient();
    for (let i = 0; i < 5; i++) expect((await guesser.post(`/invite/${token}`, { password: `guess ${i}` })).status).toBe(401);
    expect((await guesser.post(`/invite/${token}`, { password: DEMO_PASSWORD })).status).toBe(429);
  });

  it('throttles reset emails per address asked for, and reset links per client address', async () => {
    const c = newClient();
    for (let i = 0; i < 3; i++) expect((await c.post('/login/forgot', { email: 'same.person@surdulica.test' })).status).toBe(200);
    expect((await c.post('/login/forgot', { email: 'same.person@surdulica.test' })).status).toBe(429);
    const prober = newClient();
    for (let i = 0; i < 30; i++) expect((await prober.get(`/login/reset/${'A'.repeat(42)}${i % 10}`)).status).toBe(404);
    expect((await prober.get(`/login/reset/${'B'.repeat(43)}`)).status).toBe(429);
  });
});

describe('passkeys', () => {
  it('are refused without what each step needs: a sign-in in progress, TOTP and the password, the challenge just issued', async () => {
    const email = 'petra.kljuc@surdulica.test';
    const token = await invite(email, 'Петра Кључ');
    const c = newClient();
    expect((await c.post(`/invite/${token}`, { password: STRONG, confirm: STRONG })).status).toBe(302);
    // Options for a sign-in are only for a browser whose password was just accepted.
    expect((await newClient().post('/login/passkey', {})).status).toBe(401);
    // Both endpoints take posts only: a GET of their address says so, and is no error of the server.
    for (const path of ['/login/passkey', '/account/passkeys']) {
      const got = await c.get(path);
      expect([got.status, got.headers.get('allow')], path).toEqual([405, 'POST']);
      // In the visitor's language, as every other answer.
      expect(await got.text(), path).toBe('Ова адреса прима само образац послат са своје странице.');
    }
    // Passkeys come with TOTP, never instead of it.
    expect((await c.post('/account/passkeys', { password: STRONG })).status).toBe(409);
    const secret = secretOf(await (await c.get('/account/mfa')).text());
    expect((await c.post('/account/mfa', { intent: 'enrol', code: codeAt(secret, Date.now()), password: STRONG })).status).toBe(200);
    expect((await c.post('/account/passkeys', { password: 'not my password' })).status).toBe(401);
    const asked = await c.post('/account/passkeys', { password: STRONG });
    expect(asked.status).toBe(200);
    const { options } = (await asked.json()) as { options: { challenge: string; rp: { id: string } } };
    expect(options.rp.id).toBe(new URL(app.url).hostname);
    // A made-up credential answering that challenge is refused, and nothing is kept.
    const clientData = Buffer.from(JSON.stringify({ type: 'webauthn.create', challenge: options.challenge, origin: app.url })).toString('base64url');
    const forged = { id: 'AAAA', rawId: 'AAAA', type: 'public-key', response: { clientDataJSON: clientData, attestationObject: 'AAAA' }, clientExtensionResults: {} };
    const refused = await c.post('/account/mfa', { intent: 'addPasskey', name: 'Лажни', passkey: JSON.stringify(forged) });
    expect(refused.status).toBe(400);
    expect(await refused.text()).toContain('Приступни кључ није додат.');
    const [{ n }] = await query<{ n: number }>(sql`select count(*)::int as n from user_passkeys p join users u on u.id = p.user_id where u.email = ${email}`);
    expect(n).toBe(0);
    // At sign-in, a bad passkey answer is a failed second step, throttled like a wrong code.
    const s = newClient();
    expect((await password(s, email, STRONG)).headers.get('location')).toBe('/login/verify');
    for (let i = 0; i < 5; i++) expect((await s.post('/login/verify', { passkey: '{"id":"AAAA"}' })).status).toBe(401);
    expect((await s.post('/login/verify', { passkey: '{"id":"AAAA"}' })).status).toBe(429);
  });
});
