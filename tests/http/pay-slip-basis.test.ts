// A pay slip is a payroll record: after the administrator raises a premium on the adoption
// screen, a slip computed at the old rate still states its basis — the old rate with the old
// amount — on its card and in its (sealed) PDF, through HTTP against the built server.
import { execFileSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '#app/workflow/engine/actor';
import type { DocumentRow } from '#app/workflow/engine/transition.server';
import { actorOf } from '#tests/support/actors';
import { acted, overtimeRequest, submitted } from '#tests/support/documents';
import { Client, signedIn } from '#tests/support/http';
import { startApp, type RunningApp } from '#tests/support/server';

let app: RunningApp;
let ivana: Actor, zoran: Actor, dragan: Actor;
/** Prepared and registered at 26 %, before the change. */
let registered: DocumentRow;
/** Prepared at 26 % before the change; approved after it. */
let onTheLine: DocumentRow;

const slipPage = '/t/surdulica/admin/templates/overtime-pay-slip';
const card = (d: DocumentRow) => `/t/surdulica/documents/${d.id}`;
const pdfText = (bytes: ArrayBuffer) => execFileSync('pdftotext', ['-enc', 'UTF-8', '-', '-'], { input: Buffer.from(bytes) }).toString('utf8').replace(/\s+/g, ' ');

/** A computed value on the card as a reader sees it: the amount and, after '=', its basis. */
function shown(html: string, name: string): string {
  const output = new RegExp(`<output id="view-${name}"[^>]*>(.*?)</output>`).exec(html)?.[1] ?? '';
  return output.replace(/<[^>]*>/g, '').replace(/\s+/g, ' ');
}

const as = (email: string): Promise<Client> => signedIn(app.url, email);

beforeAll(async () => {
  app = await startApp();
  const db = app.app.db;
  const s = (name: string): Promise<Actor> => actorOf(db, 'surdulica', `${name}@surdulica.test`);
  const [jelena, marija] = await Promise.all(['jelena.djordjevic', 'marija.stojanovic'].map(s));
  [ivana, zoran, dragan] = await Promise.all(['ivana.stankovic', 'zoran.ilic', 'dragan.jovanovic'].map(s));
  // Jelena's confirmed overtime in two months: 3.5 h each, 1.5 h of it at night.
  for (const date of ['2026-12-23', '2026-11-18']) {
    const request = await acted(db, marija, await submitted(db, jelena, 'overtime-request', overtimeRequest(date, '20:00', '23:00')), 'approved');
    await acted(db, marija, await submitted(db, jelena, 'overtime-report', { actualStart: '20:00', actualEnd: '23:30', workDone: 'Завршена документација' }, request.id), 'approved');
  }
  const december = await acted(db, ivana, await submitted(db, ivana, 'overtime-pay-slip', { employee: jelena.membershipId, month: '2026-12' }), 'prepared', { raw: { hourlyRate: '812.40' } });
  registered = await acted(db, dragan, await acted(db, zoran, december, 'approved'), 'approved');
  onTheLine = await acted(db, ivana, await submitted(db, ivana, 'overtime-pay-slip', { employee: jelena.membershipId, month: '2026-11' }), 'prepared', { raw: { hourlyRate: '700.00' } });
});
afterAll(() => app?.stop());

describe('a premium raised after pay slips were computed', () => {
  it('is saved on the adoption screen', async () => {
    const admin = await as('milos.tomic@surdulica.test');
    const page = await (await admin.get(slipPage)).text();
    const versionId = /name="versionId" value="([^"]+)"/.exec(page)![1];
    const basedOn = /name="basedOn" value="([^"]*)"/.exec(page)![1];
    const res = await admin.post(slipPage, { versionId, basedOn, 'param:premium.overtime': '30', 'param:premium.night': '26', 'param:premium.holiday': '110' });
    expect(res.status).toBe(302);
    expect(await (await admin.get(slipPage)).text()).toContain('value="30"');
  });

  it('leaves the registered slip’s card stating its basis at the old rate, with the old amount', async () => {
    expect(registered.state).toBe('registered');
    const html = await (await (await as('ivana.stankovic@surdulica.test')).get(card(registered))).text();
    // 3.5 h × 812.40 × 26 % = 739.28.
    expect(shown(html, 'overtimeIncrease')).toBe('739,28 дин. = 3,50 × 812,40 дин. × 26 %');
    expect(shown(html, 'totalAmount')).toBe('3.899,52 дин. = 2.843,40 дин. + 739,28 дин. + 316,84 дин. + 0,00 дин.');
  });

  it('keeps the amounts prepared before the change through approval, and states their basis in the sealed PDF', async () => {
    const approved = await acted(app.app.db, dragan, await acted(app.app.db, zoran, onTheLine, 'approved'), 'approved');
    expect(approved.state).toBe('registered');
    const c = await as('ivana.stankovic@surdulica.test');
    // 3.5 h × 700.00 × 26 % = 637.00: approving does not recompute.
    expect(shown(await (await c.get(card(approved))).text(), 'overtimeIncrease')).toBe('637,00 дин. = 3,50 × 700,00 дин. × 26 %');
    const res = await c.get(`${card(approved)}/pdf`);
    expect(res.status).toBe(200);
    const text = pdfText(await res.arrayBuffer());
    expect(text).toContain(approved.registryNumber!);
    expect(text).toContain('637,00 дин. = 3,50 × 700,00 дин. × 26 %');
    expect(text).toContain('3.360,00 дин. = 2.450,00 дин. + 637,00 дин. + 273,00 дин. + 0,00 дин.');
  });

  // Its seal may have been made before the change (by the job) or at this first download, after
  // it: either way the PDF states the rate the amounts were computed at.
  it('states the registered slip’s basis at the old rate in its PDF too', async () => {
    const res = await (await as('ivana.stankovic@surdulica.test')).get(`${card(registered)}/pdf`);
    expect(res.status).toBe(200);
    expect(pdfText(await res.arrayBuffer())).toContain('739,28 дин. = 3,50 × 812,40 дин. × 26 %');
  });
});
