// The country the scale seed builds: real Serbian local governments, largest first, with staff
// counts falling off like a Zipf law (a few cities with thousands of staff, many municipalities
// with 50–200), their departments and sections, and staff in the roles the demo uses.
import { toLatin } from '#app/i18n/transliterate';
import type { TenantSpec, UnitSpec, StaffSpec } from '#tenants/provision';
import { Random } from './random';

type Kind = TenantSpec['kind'];

const cities = [
  'Београд', 'Нови Сад', 'Ниш', 'Крагујевац', 'Суботица', 'Лесковац', 'Панчево', 'Крушевац', 'Краљево', 'Нови Пазар',
  'Чачак', 'Зрењанин', 'Смедерево', 'Шабац', 'Ваљево', 'Сомбор', 'Врање', 'Пожаревац', 'Ужице', 'Кикинда',
  'Сремска Митровица', 'Јагодина', 'Зајечар', 'Вршац', 'Пирот', 'Лозница', 'Бор', 'Прокупље', 'Косовска Митровица',
];
const cityMunicipalities = [
  'Нови Београд', 'Чукарица', 'Палилула', 'Звездара', 'Земун', 'Вождовац', 'Раковица', 'Савски венац', 'Врачар',
  'Стари град', 'Обреновац', 'Лазаревац', 'Младеновац', 'Гроцка', 'Сурчин', 'Барајево', 'Сопот',
  'Медијана', 'Пантелеј', 'Црвени Крст', 'Нишка Бања', 'Петроварадин', 'Врањска Бања', 'Костолац', 'Севојно',
];
const municipalities = [
  'Параћин', 'Аранђеловац', 'Горњи Милановац', 'Инђија', 'Рума', 'Стара Пазова', 'Бачка Паланка', 'Врбас', 'Бечеј',
  'Алексинац', 'Пожега', 'Ћуприја', 'Велика Плана', 'Смедеревска Паланка', 'Неготин', 'Трстеник', 'Бујановац',
  'Прешево', 'Ивањица', 'Прибој', 'Пријепоље', 'Сјеница', 'Тутин', 'Кула', 'Темерин', 'Бачка Топола', 'Апатин',
  'Шид', 'Ковин', 'Књажевац', 'Власотинце', 'Врњачка Бања', 'Рашка', 'Александровац', 'Свилајнац', 'Деспотовац',
  'Топола', 'Лајковац', 'Уб', 'Бајина Башта', 'Ариље', 'Чајетина', 'Косјерић', 'Лучани', 'Нова Варош', 'Сента',
  'Ада', 'Кањижа', 'Чока', 'Нови Кнежевац', 'Нови Бечеј', 'Житиште', 'Сечањ', 'Нова Црња', 'Пландиште',
  'Алибунар', 'Ковачица', 'Опово', 'Бела Црква', 'Жабаљ', 'Тител', 'Србобран', 'Беочин', 'Сремски Карловци',
  'Бач', 'Бачки Петровац', 'Оџаци', 'Мали Иђош', 'Ириг', 'Пећинци', 'Богатић', 'Владимирци', 'Коцељева',
  'Мионица', 'Осечина', 'Љиг', 'Љубовија', 'Мали Зворник', 'Крупањ', 'Кнић', 'Баточина', 'Лапово', 'Рача',
  'Рековац', 'Варварин', 'Ћићевац', 'Ражањ', 'Сокобања', 'Бољевац', 'Кладово', 'Мајданпек', 'Кучево', 'Голубац',
  'Велико Градиште', 'Петровац на Млави', 'Жабари', 'Жагубица', 'Брус', 'Блаце', 'Куршумлија', 'Житорађа',
  'Дољевац', 'Мерошина', 'Гаџин Хан', 'Сврљиг', 'Бела Паланка', 'Бабушница', 'Димитровград', 'Лебане', 'Бојник',
  'Медвеђа', 'Владичин Хан', 'Сурдулица', 'Босилеград', 'Трговиште', 'Црна Трава', 'Звечан', 'Зубин Поток',
  'Лепосавић', 'Грачаница', 'Штрпце', 'Ново Брдо', 'Косовска Каменица', 'Ранилуг', 'Клокот', 'Парош',
];

export interface Body {
  nameCyrl: string;
  kind: Kind;
}

/** The country's bodies, largest first; beyond the list, numbered municipalities. */
export function bodies(count: number): Body[] {
  const all: Body[] = [
    ...cities.map((nameCyrl) => ({ nameCyrl, kind: 'city' as const })),
    ...cityMunicipalities.map((nameCyrl) => ({ nameCyrl, kind: 'city_municipality' as const })),
    ...municipalities.map((nameCyrl) => ({ nameCyrl, kind: 'municipality' as const })),
  ];
  for (let i = all.length; i < count; i++) all.push({ nameCyrl: `Општина ${i + 1}`, kind: 'municipality' });
  return all.slice(0, count);
}

/** ASCII slug of a Serbian name (either script). */
export function asciiOf(text: string): string {
  return toLatin(text)
    .toLowerCase()
    .replace(/dž/g, 'dz')
    .replace(/đ/g, 'dj')
    .replace(/[čć]/g, 'c')
    .replace(/š/g, 's')
    .replace(/ž/g, 'z')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');
}

export const MIN_STAFF = 8;

/** Staff per body by Zipf's law (exponent 1), at least MIN_STAFF each, summing to about `total`. */
export function staffSizes(count: number, total: number): number[] {
  const weights = Array.from({ length: count }, (_, i) => 1 / (i + 1));
  const sum = weights.reduce((a, b) => a + b, 0);
  let sizes = weights.map((w) => Math.max(MIN_STAFF, Math.round((total * w) / sum)));
  // The floor adds staff; take it back from the bodies above it, in proportion.
  const excess = sizes.reduce((a, b) => a + b, 0) - total;
  if (excess > 0) {
    const above = sizes.reduce((a, s) => a + (s > MIN_STAFF ? s - MIN_STAFF : 0), 0);
    if (above > 0) sizes = sizes.map((s) => (s > MIN_STAFF ? Math.max(MIN_STAFF, Math.round(s - ((s - MIN_STAFF) * excess) / above)) : s));
  }
  return sizes;
}

interface Department {
  code: string;
  name: string;
  nameEn: string;
}

// OPS (general administration: HR and the registry office) and FIN come first: every body has them.
const departments: Department[] = [
  { code: 'OPS', name: 'Одељење за општу управу и заједничке послове', nameEn: 'General Administration Department' },
  { code: 'FIN', name: 'Одељење за буџет и финансије', nameEn: 'Budget and Finance Department' },
  { code: 'PRV', name: 'Одељење за привреду и локални економски развој', nameEn: 'Economy and Local Development Department' },
  { code: 'URB', name: 'Одељење за урбанизам и грађевинарство', nameEn: 'Urban Planning and Construction Department' },
  { code: 'LPA', name: 'Одељење за локалну пореску администрацију', nameEn: 'Local Tax Administration Department' },
  { code: 'INS', name: 'Одељење за инспекцијске послове', nameEn: 'Inspection Department' },
  { code: 'DRU', name: 'Одељење за друштвене делатности', nameEn: 'Social Services Department' },
  { code: 'IMO', name: 'Одељење за имовинско-правне послове', nameEn: 'Property Law Department' },
  { code: 'KOM', name: 'Одељење за комунално-стамбене послове', nameEn: 'Utilities and Housing Department' },
  { code: 'SKU', name: 'Служба за скупштинске послове', nameEn: 'Assembly Affairs Service' },
  { code: 'GRA', name: 'Одељење за грађанска стања', nameEn: 'Civil Registry Department' },
  { code: 'JNB', name: 'Служба за јавне набавке', nameEn: 'Public Procurement Service' },
  { code: 'ITS', name: 'Служба за информационе технологије', nameEn: 'IT Service' },
  { code: 'ZZS', name: 'Одељење за заштиту животне средине', nameEn: 'Environmental Protection Department' },
  { code: 'SAO', name: 'Одељење за саобраћај и путеве', nameEn: 'Transport and Roads Department' },
  { code: 'KAB', name: 'Кабинет председника', nameEn: 'Office of the Mayor' },
  { code: 'PRA', name: 'Правобранилаштво', nameEn: "Public Attorney's Office" },
  { code: 'POL', name: 'Одељење за пољопривреду и рурални развој', nameEn: 'Agriculture and Rural Development Department' },
  { code: 'OBR', name: 'Одељење за образовање', nameEn: 'Education Department' },
  { code: 'SPO', name: 'Одељење за спорт и омладину', nameEn: 'Sport and Youth Department' },
  { code: 'KUL', name: 'Одељење за културу', nameEn: 'Culture Department' },
  { code: 'SOC', name: 'Одељење за социјалну заштиту', nameEn: 'Social Protection Department' },
  { code: 'KPO', name: 'Комунална полиција', nameEn: 'Municipal Police' },
  { code: 'VAN', name: 'Служба за ванредне ситуације', nameEn: 'Emergency Service' },
  { code: 'ZDR', name: 'Одељење за здравствену заштиту', nameEn: 'Health Care Department' },
  { code: 'TUR', name: 'Одељење за туризам', nameEn: 'Tourism Department' },
];

const maleFirst = ['Драган', 'Никола', 'Зоран', 'Милош', 'Стефан', 'Марко', 'Јован', 'Петар', 'Александар', 'Ненад', 'Горан', 'Дејан', 'Иван', 'Владимир', 'Бојан', 'Душан', 'Милан', 'Небојша', 'Срђан', 'Жељко', 'Предраг', 'Мирослав', 'Лазар', 'Вук', 'Ђорђе', 'Урош', 'Немања', 'Данило', 'Љубиша', 'Чедомир'];
const femaleFirst = ['Марија', 'Јелена', 'Снежана', 'Љиљана', 'Ивана', 'Ана', 'Милица', 'Весна', 'Драгана', 'Јована', 'Тамара', 'Сања', 'Биљана', 'Гордана', 'Наташа', 'Катарина', 'Светлана', 'Бранка', 'Дуња', 'Теодора', 'Мирјана', 'Зорица', 'Данијела', 'Јасмина', 'Невена', 'Ђурђица', 'Жаклина', 'Оливера', 'Слађана', 'Нада'];
const surnames = ['Јовановић', 'Петровић', 'Николић', 'Марковић', 'Ђорђевић', 'Стојановић', 'Илић', 'Станковић', 'Павловић', 'Милошевић', 'Томић', 'Цветковић', 'Митић', 'Стојковић', 'Поповић', 'Лазић', 'Савић', 'Костић', 'Ристић', 'Живковић', 'Пешић', 'Ђурић', 'Радовановић', 'Вуковић', 'Бошковић', 'Симић', 'Антић', 'Тодоровић', 'Лукић', 'Митровић', 'Крстић', 'Обрадовић', 'Васић', 'Јанковић', 'Филиповић', 'Ђокић', 'Божић', 'Мићић', 'Шарић', 'Чолић', 'Љубић', 'Ћирић', 'Гајић', 'Џаковић', 'Радић', 'Алексић', 'Зорић', 'Бабић', 'Мијатовић', 'Стевановић'];
const employeePositions = ['Самостални саветник', 'Саветник', 'Млађи саветник', 'Сарадник', 'Виши референт', 'Референт', 'Инспектор', 'Технички секретар', 'Правник', 'Економиста', 'Инжењер', 'Матичар'];

export interface BodySpec extends TenantSpec {
  staff: StaffSpec[];
}

/** A body's units and staff: departments (with sections in large bodies) and the demo's roles. */
export function bodySpec(index: number, body: Body, staffCount: number, seed: number, passwordHash: string, slug: string): BodySpec {
  const rnd = new Random(seed, 0x5eed, index);
  const city = body.kind === 'city';
  const root: UnitSpec = city
    ? { code: 'GU', name: 'Градска управа', nameEn: 'City Administration' }
    : { code: 'OU', name: body.kind === 'city_municipality' ? 'Управа градске општине' : 'Општинска управа', nameEn: 'Municipal Administration' };
  const deptCount = Math.max(2, Math.min(departments.length, Math.round(staffCount / 35)));
  const depts = departments.slice(0, staffCount < 12 ? 2 : Math.max(3, deptCount));
  const units: UnitSpec[] = [root];
  // Leaf units where employees sit, with a relative size.
  const leaves: { code: string; weight: number }[] = [];
  for (const d of depts) {
    units.push({ code: d.code, name: d.name, nameEn: d.nameEn, parentCode: root.code });
    const deptStaff = staffCount / depts.length;
    const sections = staffCount > 600 ? Math.min(12, Math.round(deptStaff / 45)) : 0;
    if (sections < 2) leaves.push({ code: d.code, weight: 0.5 + rnd.next() });
    else {
      for (let s = 1; s <= sections; s++) {
        const code = `${d.code}-${s}`;
        units.push({ code, name: `Одсек ${s} — ${d.name}`, nameEn: `Section ${s}, ${d.nameEn}`, parentCode: d.code });
        leaves.push({ code, weight: 0.5 + rnd.next() });
      }
    }
  }

  const staff: StaffSpec[] = [];
  const usedEmails = new Set<string>();
  const person = (unitCode: string, position: string, roles: string[]) => {
    const female = rnd.chance(0.55);
    const first = rnd.pick(female ? femaleFirst : maleFirst);
    // Surnames in -ић are the same for women and men.
    const last = rnd.pick(surnames);
    const local = `${asciiOf(first)}.${asciiOf(last)}`;
    let email = `${local}@${slug}.test`;
    for (let n = 2; usedEmails.has(email); n++) email = `${local}${n}@${slug}.test`;
    usedEmails.add(email);
    staff.push({ email, fullName: `${first} ${last}`, position, unitCode, roles: [...roles, 'employee'], passwordHash });
  };

  const administration = city ? 'Начелник Градске управе' : 'Начелник Општинске управе';
  person(root.code, administration, ['chief_admin', 'unit_head']);
  for (const u of units.slice(1)) {
    if (u.code === 'FIN') person(u.code, 'Руководилац одељења за буџет и финансије', ['finance_head', 'unit_head']);
    else person(u.code, u.parentCode === root.code ? 'Руководилац одељења' : 'Шеф одсека', ['unit_head']);
  }
  const hasUnit = (code: string) => units.some((u) => u.code === code);
  const leafOf = (code: string) => (hasUnit(`${code}-1`) ? `${code}-1` : code);
  for (let i = 0; i < Math.min(3, 1 + Math.floor(staffCount / 3000)); i++) person(leafOf('OPS'), 'Референт за кадровске послове', ['hr']);
  for (let i = 0; i < Math.min(5, 1 + Math.floor(staffCount / 2000)); i++) person(leafOf('OPS'), 'Референт писарнице', ['registry_clerk']);
  for (let i = 0; i < Math.min(4, 1 + Math.floor(staffCount / 2500)); i++) person(leafOf('FIN'), 'Референт за обрачун зарада', ['finance']);
  for (let i = 0; i < (staffCount >= 1500 ? 2 : 1); i++) person(hasUnit('ITS') ? leafOf('ITS') : leafOf('OPS'), 'Администратор информационог система', ['tenant_admin']);
  const totalWeight = leaves.reduce((a, l) => a + l.weight, 0);
  while (staff.length < staffCount) {
    let r = rnd.next() * totalWeight;
    let leaf = leaves[leaves.length - 1];
    for (const l of leaves) {
      r -= l.weight;
      if (r < 0) {
        leaf = l;
        break;
      }
    }
    person(leaf.code, rnd.pick(employeePositions), []);
  }

  const nameCyrl = body.kind === 'city' ? `Град ${body.nameCyrl}` : body.kind === 'city_municipality' ? `Градска општина ${body.nameCyrl}` : body.nameCyrl.startsWith('Општина') ? body.nameCyrl : `Општина ${body.nameCyrl}`;
  const nameEn = body.kind === 'city' ? `City of ${toLatin(body.nameCyrl)}` : body.kind === 'city_municipality' ? `City Municipality of ${toLatin(body.nameCyrl)}` : `Municipality of ${toLatin(body.nameCyrl.replace(/^Општина /, ''))}`;
  return {
    slug,
    kind: body.kind,
    nameCyrl,
    nameLatn: toLatin(nameCyrl),
    nameEn,
    // Synthetic but well-formed and unique: 8-digit registration number, 9-digit tax number.
    maticniBroj: String(71_000_000 + index * 17).padStart(8, '0'),
    pib: String(109_000_000 + index * 31),
    units,
    staff,
  };
}

/** Unique slugs for the bodies (two Палилула: Belgrade's and Niš's). */
export function slugsOf(list: Body[]): string[] {
  const seen = new Map<string, number>();
  return list.map((b) => {
    const base = asciiOf(b.nameCyrl);
    const n = (seen.get(base) ?? 0) + 1;
    seen.set(base, n);
    return n === 1 ? base : `${base}-${n}`;
  });
}
