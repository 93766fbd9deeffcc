// A small database for `npm run bench` to measure when no scale seed is at hand (its smoke test,
// development): the demo tenants plus overtime requests made through the engine, half of them
// approved (registered, in the registry log) and half waiting in the unit head's inbox.
import { DateTime } from 'luxon';
import { hashPassword } from '#app/auth/password.server';
import type { Database } from '#db/client';
import { seedDemo } from '#tenants/demo';
import { actorOf } from './actors';
import { acted, overtimeRequest, submitted } from './documents';

/**
 * Adds `requests` overtime requests in Surdulica by two employees of one unit; every other one
 * is approved by the unit head. One hour each, two a day, four days a week per employee, so
 * the daily and weekly caps never refuse one.
 */
export async function fillBenchFixture(db: Database, { requests = 24, parallel = 4 }: { requests?: number; parallel?: number } = {}): Promise<void> {
  await seedDemo(db, hashPassword);
  const authors = [
    await actorOf(db, 'surdulica', 'nikola.petrovic@surdulica.test'),
    await actorOf(db, 'surdulica', 'jelena.djordjevic@surdulica.test'),
  ];
  const head = await actorOf(db, 'surdulica', 'marija.stojanovic@surdulica.test');
  const monday = DateTime.fromISO('2025-01-06', { zone: 'utc' });
  const make = async (i: number) => {
    const author = authors[i % authors.length];
    const slot = Math.floor(i / authors.length);
    const date = monday.plus({ weeks: Math.floor(slot / 8), days: Math.floor((slot % 8) / 2) }).toISODate()!;
    const [start, end] = slot % 2 === 0 ? ['16:00', '17:00'] : ['17:00', '18:00'];
    const doc = await submitted(db, author, 'overtime-request', overtimeRequest(date, start, end, `Припрема документације ${i + 1}`));
    if (i % 2 === 0) await acted(db, head, doc, 'approved');
  };
  // Different employees never share a week's cap, so one employee's documents go in order.
  for (let i = 0; i < requests; i += parallel) {
    await Promise.all(Array.from({ length: Math.min(parallel, requests - i) }, (_, k) => make(i + k)));
  }
}
