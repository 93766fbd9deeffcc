// The demo country: the national office and two tenants with a handful of staff each.
import { eq } from 'drizzle-orm';
import type { Database } from '#db/client';
import { tenants } from '#db/schema';
import { withTenantOn } from '#db/tenant';
import { standardCatalog, standardCatalogHistory } from '#app/workflow/catalog/index';
import { seedStandardCatalog } from '#app/workflow/publishing/catalog.server';
import type { TemplateVersion } from '#app/workflow/template/schema';
import { adoptStandardTemplates } from './adoption';
import { provisionTenant, tenantExists, type TenantSpec } from './provision';

export const DEMO_PASSWORD = 'Delovod-demo-2026';

type StaffRow = Omit<TenantSpec['staff'][number], 'passwordHash'>;

export const demoTenants: Array<Omit<TenantSpec, 'staff'> & { staff: StaffRow[] }> = [
  {
    slug: 'national',
    kind: 'national',
    nameCyrl: 'Канцеларија за информационе технологије и електронску управу',
    nameLatn: 'Kancelarija za informacione tehnologije i elektronsku upravu',
    nameEn: 'Office for IT and eGovernment',
    units: [{ code: 'SEU', name: 'Сектор за електронску управу', nameEn: 'eGovernment Sector' }],
    staff: [
      { email: 'ana.markovic@ite.test', fullName: 'Ана Марковић', position: 'Уредник стандардних образаца', unitCode: 'SEU', roles: ['national_editor', 'employee'] },
      { email: 'petar.nikolic@ite.test', fullName: 'Петар Николић', position: 'Саветник за пријаве', unitCode: 'SEU', roles: ['national_reviewer', 'employee'] },
    ],
  },
  {
    slug: 'surdulica',
    kind: 'municipality',
    nameCyrl: 'Општина Сурдулица',
    nameLatn: 'Opština Surdulica',
    nameEn: 'Municipality of Surdulica',
    units: [
      { code: 'OU', name: 'Општинска управа', nameEn: 'Municipal Administration' },
      { code: 'OPS', name: 'Одељење за општу управу и заједничке послове', nameEn: 'General Administration Department', parentCode: 'OU' },
      { code: 'FIN', name: 'Одељење за буџет и финансије', nameEn: 'Budget and Finance Department', parentCode: 'OU' },
      { code: 'PRV', name: 'Одељење за привреду и локални економски развој', nameEn: 'Economy and Local Development Department', parentCode: 'OU' },
    ],
    staff: [
      { email: 'dragan.jovanovic@surdulica.test', fullName: 'Драган Јовановић', position: 'Начелник Општинске управе', unitCode: 'OU', roles: ['chief_admin', 'unit_head', 'employee'] },
      { email: 'marija.stojanovic@surdulica.test', fullName: 'Марија Стојановић', position: 'Руководилац одељења за привреду', unitCode: 'PRV', roles: ['unit_head', 'employee'] },
      { email: 'nikola.petrovic@surdulica.test', fullName: 'Никола Петровић', position: 'Референт за локални економски развој', unitCode: 'PRV', roles: ['employee'] },
      { email: 'jelena.djordjevic@surdulica.test', fullName: 'Јелена Ђорђевић', position: 'Самостални саветник за пројекте', unitCode: 'PRV', roles: ['employee'] },
      { email: 'snezana.mitic@surdulica.test', fullName: 'Снежана Митић', position: 'Референт за кадровске послове', unitCode: 'OPS', roles: ['hr', 'employee'] },
      { email: 'ljiljana.cvetkovic@surdulica.test', fullName: 'Љиљана Цветковић', position: 'Референт писарнице', unitCode: 'OPS', roles: ['registry_clerk', 'employee'] },
      { email: 'zoran.ilic@surdulica.test', fullName: 'Зоран Илић', position: 'Руководилац одељења за буџет и финансије', unitCode: 'FIN', roles: ['finance_head', 'unit_head', 'employee'] },
      { email: 'ivana.stankovic@surdulica.test', fullName: 'Ивана Станковић', position: 'Референт за обрачун зарада', unitCode: 'FIN', roles: ['finance', 'employee'] },
      { email: 'milos.tomic@surdulica.test', fullName: 'Милош Томић', position: 'Администратор информационог система', unitCode: 'OPS', roles: ['tenant_admin', 'employee'] },
    ],
  },
  {
    slug: 'business-registers-agency',
    kind: 'agency',
    nameCyrl: 'Агенција за привредне регистре',
    nameLatn: 'Agencija za privredne registre',
    nameEn: 'Business Registers Agency',
    units: [
      { code: 'REG', name: 'Сектор за регистрацију', nameEn: 'Registration Sector' },
      { code: 'FIN', name: 'Сектор за финансије', nameEn: 'Finance Sector' },
    ],
    staff: [
      { email: 'vesna.popovic@apr.test', fullName: 'Весна Поповић', position: 'Помоћник директора за регистрацију', unitCode: 'REG', roles: ['unit_head', 'chief_admin', 'employee'] },
      { email: 'stefan.lazic@apr.test', fullName: 'Стефан Лазић', position: 'Регистратор', unitCode: 'REG', roles: ['employee'] },
      { email: 'milica.savic@apr.test', fullName: 'Милица Савић', position: 'Администратор', unitCode: 'FIN', roles: ['tenant_admin', 'finance', 'employee'] },
      // Works for the agency and edits templates at the national office: a two-tenant user.
      { email: 'ana.markovic@ite.test', fullName: 'Ана Марковић', position: 'Аналитичар пословних процеса', unitCode: 'REG', roles: ['employee'] },
    ],
  },
];

/**
 * Creates whatever part of the demo is missing: the tenants, the standard catalog published
 * by the national office, and its adoption by the new tenants. Running it again changes nothing.
 */
export async function seedDemo(
  db: Database,
  hashPassword: (p: string) => Promise<string>,
  /** The catalog versions to sync; a test passes an older history to stand for an older installation. */
  catalog: TemplateVersion[] = standardCatalogHistory,
): Promise<{ created: string[]; catalog: { published: string[]; taken: string[] } }> {
  const passwordHash = await hashPassword(DEMO_PASSWORD);
  const created: string[] = [];
  const ids = new Map<string, string>();
  for (const spec of demoTenants) {
    if (await tenantExists(db, spec.slug)) continue;
    const { tenantId } = await provisionTenant(db, { ...spec, staff: spec.staff.map((s) => ({ ...s, passwordHash })) });
    ids.set(spec.slug, tenantId);
    created.push(spec.slug);
  }
  const [national] = await db.select({ id: tenants.id }).from(tenants).where(eq(tenants.kind, 'national'));
  const synced = await withTenantOn(db, { tenantId: national.id }, (tx) => seedStandardCatalog(tx, { nationalTenantId: national.id, userId: null }, catalog));
  const keys = standardCatalog.map((t) => t.key);
  for (const [slug, tenantId] of ids) {
    if (slug === 'national') continue;
    await withTenantOn(db, { tenantId }, (tx) => adoptStandardTemplates(tx, tenantId, keys, null));
  }
  return { created, catalog: synced };
}
