// A tenant administrator invites by email and learns nothing of other tenants: inviting an
// address that already has an account (with the national office and another tenant) and one
// that has none gives the same answers — the redirect, the staff list, the member's page, its
// data, a new invitation — and the owner of the existing account joins when they accept.
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rowsOf } from '#db/rows';
import { withTenantOn } from '#db/tenant';
import { DEMO_PASSWORD } from '#tenants/demo';
import { issueInvitationToken } from '#tenants/invitations';
import { Client } from '#tests/support/http';
import { startApp, type RunningApp } from '#tests/support/server';

let app: RunningApp;
let admin: Client;
const base = '/t/surdulica/admin/staff';
// Ana works for the national office and for the Business Registers Agency, with a password.
const existing = { email: 'ana.markovic@ite.test', fullName: 'Ана Прва' };
const fresh = { email: 'nova.osoba@primer.test', fullName: 'Ана Друга' };

beforeAll(async () => {
  app = await startApp();
  admin = new Client(app.url);
  expect((await admin.signIn('milos.tomic@surdulica.test', DEMO_PASSWORD)).status).toBe(302);
});
afterAll(() => app?.stop());

async function membershipOf(email: string): Promise<string> {
  const [row] = rowsOf<{ id: string }>(
    await withTenantOn(app.app.db, { tenantSlug: 'surdulica' }, (tx) => tx.execute(sql`select m.id from memberships m join users u on u.id = m.user_id where u.email = ${email}`)),
  );
  return row.id;
}

async function invitationOf(membershipId: string): Promise<string> {
  const [row] = rowsOf<{ id: string }>(await withTenantOn(app.app.db, { tenantSlug: 'surdulica' }, (tx) => tx.execute(sql`select id from invitations where membership_id = ${membershipId}`)));
  return row.id;
}

/** A response as the administrator sees it, with what names the person, their invitation and this response's nonce made alike. */
async function seen(res: Response, person: { email: string; fullName: string }, id: string): Promise<string> {
  const body = await res.text();
  return body
    .replaceAll(await invitationOf(id), '<invitation>')
    .replaceAll(person.email, '<email>')
    .replaceAll(encodeURIComponent(person.email), '<email>')
    .replaceAll(person.fullName, '<name>')
    .replaceAll(id, '<id>')
    .replace(/nonce="[^"]+"/g, 'nonce=""');
}

describe('inviting staff', () => {
  it('answers the same whether or not the address has an account with another tenant', async () => {
    const answers = [];
    for (const person of [existing, fresh]) {
      const invited = await admin.post(base, { intent: 'invite', ...person, position: 'Референт' });
      expect(invited.status).toBe(302);
      const id = await membershipOf(person.email);
      const page = `${base}/${id}`;
      answers.push({
        location: invited.headers.get('location')!.replace(encodeURIComponent(person.email), '<email>'),
        row: /<tr>(?:(?!<\/tr>).)*<name>(?:(?!<\/tr>).)*<\/tr>/s.exec(await seen(await admin.get(base), person, id))![0],
        member: await seen(await admin.get(page), person, id),
        data: await seen(await admin.get(`${page}.data`), person, id),
        reinvite: (await admin.post(page, { intent: 'reinvite' })).headers.get('location')!.replace(id, '<id>'),
      });
      expect(await (await admin.get(`${page}.data`)).text()).not.toMatch(/hasPassword|userId/);
    }
    expect(answers[0]).toEqual(answers[1]);
    expect(answers[0].location).toBe(`${base}?invited=<email>`);
    expect(answers[0].reinvite).toBe(`${base}/<id>?notice=reinvited`);
  });

  it('lets the owner of the existing account join by confirming with their own password, not by setting one', async () => {
    const id = await membershipOf(existing.email);
    const tenantId = rowsOf<{ id: string }>(await app.app.db.execute(sql`select id from tenants where slug = 'surdulica'`))[0].id;
    const token = await withTenantOn(app.app.db, { tenantId }, async (tx) => {
      const [inv] = rowsOf<{ id: string }>(await tx.execute(sql`select id from invitations where membership_id = ${id}`));
      return issueInvitationToken(tx, tenantId, inv.id);
    });
    const ana = new Client(app.url);
    const wrong = await ana.post(`/invite/${token}`, { password: 'Someone-else-2026', confirm: 'Someone-else-2026' });
    expect(wrong.status).toBeGreaterThanOrEqual(400);
    const joined = await ana.post(`/invite/${token}`, { password: DEMO_PASSWORD });
    expect(joined.headers.get('location')).toBe('/t/surdulica/inbox');
    expect((await ana.get('/t/surdulica/inbox')).status).toBe(200);
  });
});

describe('a staff import', () => {
  it('has invited whoever the page says it invited (the import commits before the redirect)', async () => {
    const csv = ['е-пошта;име и презиме;радно место;јединица', 'uvezena.osoba@primer.test;Увезена Особа;Референт;OPS'].join('\r\n');
    const form = new FormData();
    form.append('intent', 'upload');
    form.append('file', new File([csv], 'staff.csv', { type: 'text/csv' }));
    const res = await admin.request(base, { method: 'POST', body: form, headers: { origin: app.url } });
    expect(res.status).toBe(302);
    expect(res.headers.get('location')).toBe(`${base}?imported=1`);
    expect(await membershipOf('uvezena.osoba@primer.test')).toMatch(/^[0-9a-f-]{36}$/);
  });
});
