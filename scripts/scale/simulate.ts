// One tenant's two years of documents, simulated the way the engine would have written them:
// drafts, submissions, the approval line stage by stage (one step row per resolved assignee,
// alternatives skipped once one acts), returns and resubmissions in new rounds, rejections,
// withdrawals, registration with gapless numbers, the ack stages opened at final approval,
// reminder rounds and escalations of steps left pending past their due time, notifications,
// revisions and the hash-chained audit trail. Days are simulated in order and audit events are
// released in time order, so the chain's sequence follows the clock as it does in production.
import { createHash } from 'node:crypto';
import { formatRegistryNumber } from '#app/onboarding/registry-format';
import { belgradeYear } from '#app/time/belgrade';
import { computeValues } from '#app/workflow/template/compute';
import { formatDecimal, toDecimal } from '#app/workflow/template/expressions';
import { isDecisive, isGate, stagesOf } from '#app/workflow/engine/line';
import { REMINDER_REPEAT_HOURS, REMINDER_ROUNDS } from '#jobs/definitions/reminders';
import type { Step, TemplateVersion } from '#app/workflow/template/schema';
import { seedChainHash } from './audit-hash';
import { BusinessCalendar } from './calendar';
import { bytea, field, iso, isoOrNull, jsonField } from './copy';
import { Random } from './random';

export type Outcome = 'draft' | 'in_approval' | 'returned' | 'final' | 'rejected' | 'withdrawn';

export interface MemberRow {
  id: string;
  userId: string;
  unitId: string | null;
  roles: string[];
}

export interface UnitRow {
  id: string;
  code: string;
}

export interface TemplateRow {
  key: string;
  templateId: string;
  versionId: string;
  def: TemplateVersion;
  parameters: Record<string, number>;
}

export interface TenantInput {
  tenantId: string;
  index: number;
  seed: number;
  documents: number;
  now: number;
  /** First day documents may be created on, 'YYYY-MM-DD'. */
  fromDate: string;
  registryFormat: string;
  members: MemberRow[];
  units: UnitRow[];
  holidays: string[];
  templates: TemplateRow[];
  head: { seq: number; hash: string };
  /** Who a step goes to when this member writes the document: the engine's answer (worker.ts). */
  assignees: Assignees;
}

/** The membership ids the engine's resolveAssignees gives `step` for a document of `author`. */
export type Assignees = (step: Step, author: MemberRow) => string[];

/** Where rows go: COPY text lines (tab-separated, newline-terminated) in the column order of tables.ts. */
export interface Sink {
  document(line: string): void;
  step(line: string): void;
  revision(line: string): void;
  attachment(line: string): void;
  notification(line: string): void;
  audit(line: string): void;
  /** Called after every simulated day; the worker flushes its COPY buffers here. */
  drain(): Promise<void>;
}

export interface TenantResult {
  documents: number;
  byTemplate: Record<string, Record<string, number>>;
  head: { seq: number; hash: string };
  counters: { year: number; classification: string; lastSeq: number }[];
  /** Audit events whose fast hash was compared with db/audit.ts's chainHash. */
  checkedHashes: number;
}

const HOUR = 3_600_000;
const MINUTE = 60_000;

interface Member {
  i: number;
  id: string;
  userId: string;
  unit: number;
  roles: Set<string>;
  ip: string;
  ua: string;
}

interface Unit {
  id: string;
  code: string;
}

interface Tpl {
  row: TemplateRow;
  key: string;
  def: TemplateVersion;
  stages: Step[][];
  outcomes: Outcome[];
  classification: string;
  coverageFrom: number;
  coverage: Outcome[];
}

interface StepSim {
  id: string;
  round: number;
  stage: number;
  key: string;
  kind: Step['kind'];
  assignee: number;
  state: 'pending' | 'done' | 'skipped';
  outcome: string | null;
  actedBy: number;
  comment: string | null;
  activatedAt: number;
  dueAt: number | null;
  actedAt: number | null;
  /** When it stopped waiting (acted on or skipped); null while pending. */
  closedAt: number | null;
  remindersSent: number;
}

interface Note {
  recipient: number;
  kind: string;
  data: Record<string, unknown> | 'registry';
  at: number;
}

interface DocSim {
  id: string;
  tpl: Tpl;
  author: number;
  createdAt: number;
  state: string;
  values: Record<string, unknown>;
  computed: Record<string, unknown>;
  version: number;
  round: number;
  sourceId: string | null;
  submittedAt: number | null;
  decidedAt: number | null;
  updatedAt: number;
  registeredAt: number | null;
  registry: { year: number; classification: string; seq: number; display: string } | null;
  steps: StepSim[];
  revisions: { id: string; values: string; author: number; reason: string; at: number }[];
  notes: Note[];
  open: number;
}

interface Pending {
  t: number;
  o: number;
  doc: DocSim;
  /** null: the registration itself (takes the next number). */
  type: string | null;
  actor: number;
  data: Record<string, unknown>;
  registryData: boolean;
}

type Plan =
  | { kind: 'overtime-request'; at: number; author: number }
  | { kind: 'leave-request'; at: number; author: number }
  | { kind: 'incoming-mail'; at: number; author: number }
  | { kind: 'overtime-report'; at: number; request: RequestInfo }
  | { kind: 'overtime-pay-slip'; at: number; author: number; employee: number; month: string };

interface RequestInfo {
  id: string;
  author: number;
  date: string;
  start: string;
  end: string;
  decidedAt: number;
}

interface ApprovedReport {
  decidedAt: number;
  hours: bigint;
  night: bigint;
  holiday: bigint;
}

const overtimeDescriptions = [
  'Припрема документације за конкурс',
  'Завршетак годишњег извештаја о раду',
  'Обрада захтева грађана пре истека законског рока',
  'Припрема материјала за седницу скупштине',
  'Годишњи попис имовине',
  'Изборни послови',
  'Хитна поправка информационог система',
  'Обрада пореских решења',
  'Припрема нацрта буџета за наредну годину',
  'Инспекцијски надзор ван радног времена',
  'Ванредна ситуација — поплаве',
  'Обрада пријава за субвенције',
];
const workDone = [
  'Завршена документација и предата на потпис',
  'Обрађени сви пристигли захтеви',
  'Припремљен материјал за седницу',
  'Извршен попис у магацину',
  'Отклоњен квар на серверу',
  'Израђена решења и послата странкама',
];
const returnComments = [
  'Наведите тачан разлог прековременог рада.',
  'Исправите датум и време.',
  'Недостаје опис посла.',
  'Допуните податке и поново пошаљите.',
  'Проверите број радних дана.',
  'Приложите исправан скенирани акт.',
];
const rejectComments = [
  'Прековремени рад није у складу са планом рада.',
  'Нема средстава у буџету за прековремени рад.',
  'Посао може да се обави у редовном радном времену.',
  'Одсуство у овом периоду није могуће због обима посла.',
];
const senders = [
  'Министарство финансија',
  'Министарство државне управе и локалне самоуправе',
  'Републички геодетски завод',
  'Пореска управа',
  'Основни суд',
  'Управа за трезор',
  'ЈП „Путеви Србије”',
  'Месна заједница Центар',
  'Грађанин (физичко лице)',
  'Агенција за привредне регистре',
  'Канцеларија за информационе технологије и електронску управу',
  'Републички завод за статистику',
];
const subjects = [
  'Захтев за приступ информацијама од јавног значаја',
  'Допис у вези са извршењем буџета',
  'Обавештење о инспекцијском надзору',
  'Позив на састанак',
  'Захтев за издавање уверења',
  'Жалба на првостепено решење',
  'Извештај о раду за претходни квартал',
  'Понуда у поступку јавне набавке',
  'Молба за једнократну помоћ',
  'Решење о упису у регистар',
];
const instructions = ['Обрадити у законском року.', 'Хитно.', 'Припремити одговор за потпис начелника.', 'На знање и архиву.'];
const userAgents = [
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0 Safari/537.36',
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:132.0) Gecko/20100101 Firefox/132.0',
  'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/129.0 Safari/537.36',
  'Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Safari/605.1.15',
];

/** A scanned letter: a small valid PDF, the same bytes for every seeded mail. */
const SCAN = Buffer.from(
  '%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n' +
    '3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n',
);
const SCAN_SHA256 = createHash('sha256').update(SCAN).digest('hex');
const SCAN_BYTEA = bytea(SCAN);
const NULL = '\\N';

const hhmm = (minutes: number) => `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;
const hundredths = (text: string) => BigInt(text.replace('.', ''));
const fromHundredths = (n: bigint) => formatDecimal(toDecimal(n.toString()).div(100), { mode: 'halfUp', decimals: 2 });

/** Outcomes the engine can reach for a template (e.g. no rejection where no step approves). */
export function reachableOutcomes(def: TemplateVersion): Outcome[] {
  const gates = def.route.filter(isGate);
  const out: Outcome[] = ['draft'];
  if (gates.length) out.push('in_approval', 'withdrawn');
  if (gates.some((s) => s.kind === 'approve' || s.kind === 'prepare')) out.push('returned');
  if (gates.some((s) => s.kind === 'approve')) out.push('rejected');
  out.push('final');
  return out;
}

export const finalStateOf = (def: TemplateVersion) => (def.numbering.register ? 'registered' : 'approved');

const calendars = new Map<string, BusinessCalendar>();

export class TenantSimulation {
  private readonly rnd: Random;
  private readonly cal: BusinessCalendar;
  private readonly members: Member[];
  private readonly memberById = new Map<string, number>();
  private readonly unitMembers = new Map<number, number[]>();
  private readonly computedCache = new Map<string, Record<string, string>>();
  private readonly units: Unit[];
  private readonly holders = new Map<string, number[]>();
  private readonly admins: number[];
  private readonly tpls = new Map<string, Tpl>();
  private readonly heap: Pending[] = [];
  private order = 0;
  private seq: number;
  private hash: string;
  private checked = 0;
  private readonly counters = new Map<string, number>();
  private readonly scheduled = new Map<number, Plan[]>();
  private readonly usedWeeks = new Set<string>();
  private readonly approvedReports = new Map<string, ApprovedReport[]>();
  private readonly byTemplate: Record<string, Record<string, number>> = {};
  private docs = 0;
  private readonly firstDay: number;
  private readonly nowDay: number;
  private readonly rates: Record<'request' | 'leave' | 'mail', number>;
  private readonly overtimeWorkers: number[];
  private readonly leaveAuthors: number[];

  constructor(
    private readonly input: TenantInput,
    private readonly sink: Sink,
    private readonly verifyHash: (prev: string, e: Parameters<typeof seedChainHash>[1]) => string,
  ) {
    this.rnd = new Random(input.seed, 0xd0c5, input.index);
    this.seq = input.head.seq;
    this.hash = input.head.hash;
    const from = new Date(Date.parse(`${input.fromDate}T00:00:00Z`) - 10 * 86_400_000).toISOString().slice(0, 10);
    const to = new Date(input.now + 500 * 86_400_000).toISOString().slice(0, 10);
    // Bodies share the public holidays: one calendar for all of them with the same days off.
    const calendarKey = `${from}|${to}|${[...input.holidays].sort().join(',')}`;
    let calendar = calendars.get(calendarKey);
    if (!calendar) calendars.set(calendarKey, (calendar = new BusinessCalendar(from, to, new Set(input.holidays))));
    this.cal = calendar;
    this.firstDay = this.cal.dayIndexOf(input.fromDate)!;
    this.nowDay = this.cal.dayAt(input.now);

    const unitIndex = new Map(input.units.map((u, i) => [u.id, i]));
    this.units = input.units.map((u) => ({ id: u.id, code: u.code }));
    this.members = input.members.map((m, i) => ({
      i,
      id: m.id,
      userId: m.userId,
      unit: m.unitId ? unitIndex.get(m.unitId)! : -1,
      roles: new Set(m.roles),
      ip: `10.${input.index % 250}.${(i >> 8) & 255}.${i & 255}`,
      ua: userAgents[i % userAgents.length],
    }));
    const add = (map: Map<string | number, number[]>, key: string | number, i: number) => {
      const list = map.get(key);
      if (list) list.push(i);
      else map.set(key, [i]);
    };
    for (const m of this.members) {
      this.memberById.set(m.id, m.i);
      add(this.unitMembers as Map<string | number, number[]>, m.unit, m.i);
      for (const r of m.roles) add(this.holders as Map<string | number, number[]>, r, m.i);
    }
    this.admins = this.holders.get('tenant_admin') ?? [];

    let workingDays = 0;
    for (let d = this.firstDay; d <= this.nowDay; d++) if (this.cal.days[d].working) workingDays++;
    // Scaled so that, with the follow-ups they cause and the few that are never made, the total is about `documents`.
    const D = input.documents * 1.08;
    this.rates = { request: (0.3 * D) / workingDays, leave: (0.175 * D) / workingDays, mail: (0.2 * D) / workingDays };
    // Staff whose own requests have someone to approve them (the chief heads the root unit).
    const headStep = input.templates.flatMap((t) => t.def.route).find((s) => s.assignee.type === 'authorUnitHead');
    const routable = headStep ? this.members.filter((m) => input.assignees(headStep, input.members[m.i]).length > 0) : this.members;
    const weeks = workingDays / 5;
    const workers = Math.max(1, Math.min(routable.length, Math.round((0.3 * D) / weeks / 0.55)));
    const shuffled = routable.map((m) => m.i);
    for (let i = shuffled.length - 1; i > 0; i--) {
      const j = Math.floor(this.rnd.next() * (i + 1));
      [shuffled[i], shuffled[j]] = [shuffled[j], shuffled[i]];
    }
    this.overtimeWorkers = shuffled.slice(0, workers);
    this.leaveAuthors = routable.map((m) => m.i);

    const expectedPerDay: Record<string, number> = {
      'overtime-request': this.rates.request,
      'overtime-report': this.rates.request * 0.65,
      'overtime-pay-slip': (workers * 0.8) / 21,
      'leave-request': this.rates.leave,
      'incoming-mail': this.rates.mail,
    };
    for (const row of input.templates) {
      const outcomes = reachableOutcomes(row.def);
      const perDay = expectedPerDay[row.key] ?? 0;
      const days = perDay > 0 ? Math.min(workingDays, Math.max(15, Math.ceil((3 * outcomes.length) / perDay))) : workingDays;
      this.tpls.set(row.key, {
        row,
        key: row.key,
        def: row.def,
        stages: stagesOf(row.def),
        outcomes,
        classification: row.def.numbering.classification ?? row.def.classification,
        coverageFrom: this.cal.days[Math.max(this.firstDay, this.nowDay - Math.ceil((days * 7) / 5))].midnight,
        // Every reachable state at least once in the most recent stretch, the rarest first.
        coverage: ['in_approval', 'returned', 'rejected', 'withdrawn', 'draft'].filter((o) => outcomes.includes(o as Outcome)) as Outcome[],
      });
      this.byTemplate[row.key] = {};
    }
    for (const t of this.tpls.values()) {
      for (const [i, stage] of t.stages.entries()) {
        if (stage.length > 1) throw new Error(`${t.key}: parallel groups are not simulated`);
        if (!isDecisive(stage) && t.stages.slice(i + 1).some(isDecisive)) throw new Error(`${t.key}: a non-decisive stage before a decisive one is not simulated`);
      }
      if (t.def.followUps.some((f) => f.mode === 'createDraft')) throw new Error(`${t.key}: createDraft follow-ups are not simulated`);
    }
  }

  // ---------------------------------------------------------------- assignees (the engine's)

  /** The step's assignees as member indices, in the seed's member order (the same --seed, the same choices); a staff field names its member in the document's values. */
  private resolve(doc: DocSim, step: Step): number[] {
    if (step.assignee.type === 'staffField') {
      const m = this.memberById.get(String(doc.values[step.assignee.field]));
      return m === undefined ? [] : [m];
    }
    return this.input.assignees(step, this.input.members[doc.author])
      .map((id) => this.memberById.get(id)!)
      .sort((a, b) => a - b);
  }

  // ---------------------------------------------------------------- the day loop

  async run(): Promise<TenantResult> {
    for (let d = this.firstDay; d <= this.nowDay; d++) {
      const day = this.cal.days[d];
      const plans = this.scheduled.get(d) ?? [];
      this.scheduled.delete(d);
      if (day.working) {
        const at = () => this.workingMoment(d);
        for (let n = this.rnd.poisson(this.rates.request); n > 0; n--) plans.push({ kind: 'overtime-request', at: at(), author: this.rnd.pick(this.overtimeWorkers) });
        for (let n = this.rnd.poisson(this.rates.leave); n > 0; n--) plans.push({ kind: 'leave-request', at: at(), author: this.rnd.pick(this.leaveAuthors) });
        const clerks = this.holders.get('registry_clerk') ?? [];
        if (clerks.length) for (let n = this.rnd.poisson(this.rates.mail); n > 0; n--) plans.push({ kind: 'incoming-mail', at: at(), author: this.rnd.pick(clerks) });
        if (this.isSlipDay(d)) plans.push(...this.slipPlans(d));
      }
      plans.sort((a, b) => a.at - b.at);
      for (const plan of plans) if (plan.at < this.input.now && this.tpls.has(plan.kind)) this.simulate(plan);
      this.release(d + 1 < this.cal.days.length ? this.cal.days[d + 1].midnight : Infinity);
      await this.sink.drain();
    }
    this.release(Infinity);
    await this.sink.drain();
    return {
      documents: this.docs,
      byTemplate: this.byTemplate,
      head: { seq: this.seq, hash: this.hash },
      counters: [...this.counters].map(([k, lastSeq]) => {
        const [year, classification] = k.split('|');
        return { year: Number(year), classification, lastSeq };
      }),
      checkedHashes: this.checked,
    };
  }

  private workingMoment(d: number): number {
    const day = this.cal.days[d];
    return day.open + Math.floor(this.rnd.next() * (day.close - day.open - 20 * MINUTE));
  }

  /** Finance draws up last month's slips on one working day between the 3rd and the 10th. */
  private isSlipDay(d: number): boolean {
    const day = this.cal.days[d];
    const dom = Number(day.date.slice(8, 10));
    if (dom < 3 || dom > 10) return false;
    for (let p = d - 1; p >= 0; p--) {
      const prev = this.cal.days[p];
      if (Number(prev.date.slice(8, 10)) < 3 || prev.date.slice(0, 7) !== day.date.slice(0, 7)) break;
      if (prev.working) return false;
    }
    return true;
  }

  private slipPlans(d: number): Plan[] {
    const day = this.cal.days[d];
    const y = Number(day.date.slice(0, 4));
    const m = Number(day.date.slice(5, 7));
    const month = m === 1 ? `${y - 1}-12` : `${y}-${String(m - 1).padStart(2, '0')}`;
    const finance = this.holders.get('finance') ?? [];
    const plans: Plan[] = [];
    if (!finance.length) return plans;
    for (const key of [...this.approvedReports.keys()]) {
      const [employee, reportMonth] = key.split('|');
      // A slip resubmitted after a return still needs its month; older months are done.
      if (reportMonth < month && monthsBetween(reportMonth, month) > 2) this.approvedReports.delete(key);
      if (reportMonth !== month) continue;
      // Spread over the next few working days, as finance gets through them.
      let dd = d;
      for (let k = this.rnd.int(0, 3); k > 0; ) if (this.cal.days[++dd].working) k--;
      plans.push({ kind: 'overtime-pay-slip', at: this.workingMoment(dd), author: this.rnd.pick(finance), employee: Number(employee), month });
    }
    // Those drawn up on a later day wait in its bucket.
    const today: Plan[] = [];
    for (const p of plans) {
      const pd = this.cal.dayAt(p.at);
      if (pd === d) today.push(p);
      else this.scheduled.set(pd, [...(this.scheduled.get(pd) ?? []), p]);
    }
    return today;
  }

  // ---------------------------------------------------------------- one document

  private simulate(plan: Plan): void {
    const tpl = this.tpls.get(plan.kind)!;
    const author = 'author' in plan ? plan.author : plan.request.author;
    const doc: DocSim = {
      id: this.rnd.uuid(),
      tpl,
      author,
      createdAt: plan.at,
      state: 'draft',
      values: {},
      computed: {},
      version: 1,
      round: 0,
      sourceId: plan.kind === 'overtime-report' ? plan.request.id : null,
      submittedAt: null,
      decidedAt: null,
      updatedAt: plan.at,
      registeredAt: null,
      registry: null,
      steps: [],
      revisions: [],
      notes: [],
      open: 0,
    };
    let force: Outcome | undefined;
    if (plan.at >= tpl.coverageFrom && tpl.coverage.length) force = tpl.coverage.shift();

    let values: Record<string, unknown>;
    let draft: Record<string, unknown>;
    const a = this.members[author];
    const unitId = a.unit >= 0 ? this.units[a.unit].id : undefined;
    switch (plan.kind) {
      case 'overtime-request': {
        const slot = this.overtimeSlot(author, plan.at);
        if (!slot) return;
        const start = this.rnd.pick([930, 960, 960, 990, 1020, 1050, 1080, 1140, 1200]);
        const end = Math.min(start + this.rnd.pick([60, 90, 120, 120, 150, 180, 180, 240]), 23 * 60 + 30);
        values = { employee: a.id, unit: unitId, date: slot, plannedStart: hhmm(start), plannedEnd: hhmm(end), ground: this.rnd.pick(['workloadIncrease', 'workloadIncrease', 'unplannedDeadline', 'forceMajeure']), description: this.rnd.pick(overtimeDescriptions) };
        draft = { employee: a.id, unit: unitId };
        if (this.rnd.chance(0.5)) Object.assign(draft, { date: slot, plannedStart: values.plannedStart, plannedEnd: values.plannedEnd });
        break;
      }
      case 'overtime-report': {
        const r = plan.request;
        const start = Number(r.start.slice(0, 2)) * 60 + Number(r.start.slice(3)) + this.rnd.pick([0, 0, 0, 15, -15, 30]);
        const end = Math.min(Math.max(start + 30, Number(r.end.slice(0, 2)) * 60 + Number(r.end.slice(3)) + this.rnd.pick([0, 0, 15, 30, -30, 60])), 23 * 60 + 59);
        const carried = { employee: a.id, unit: unitId, date: r.date, actualStart: r.start, actualEnd: r.end, request: r.id };
        values = { ...carried, actualStart: hhmm(start), actualEnd: hhmm(end), workDone: this.rnd.pick(workDone), onPublicHoliday: false, nextDayPublicHoliday: false };
        draft = carried;
        break;
      }
      case 'overtime-pay-slip': {
        const employee = this.members[plan.employee];
        values = { employee: employee.id, month: plan.month };
        draft = this.rnd.chance(0.5) ? { employee: employee.id, month: plan.month } : {};
        break;
      }
      case 'leave-request': {
        const leave = this.leave(plan.at);
        if (!leave) return;
        values = { employee: a.id, unit: unitId, ...leave };
        if (this.rnd.chance(0.4)) {
          const colleague = this.rnd.pick(this.unitMembers.get(a.unit)!);
          if (colleague !== author) values.substitute = this.members[colleague].id;
        }
        if (this.rnd.chance(0.15)) values.note = 'Договорено са руководиоцем.';
        draft = { employee: a.id, unit: unitId };
        break;
      }
      case 'incoming-mail': {
        const received = this.cal.days[Math.max(0, this.cal.dayAt(plan.at) - this.rnd.pick([0, 0, 0, 1, 3]))].date;
        values = { sender: this.rnd.pick(senders), receivedOn: received, delivery: this.rnd.pick(['post', 'post', 'email', 'inPerson', 'courier']), subject: this.rnd.pick(subjects), scan: [] };
        if (this.rnd.chance(0.6)) values.senderReference = `${this.rnd.int(1, 999)}-${this.rnd.int(1, 12)}/${received.slice(0, 4)}`;
        draft = this.rnd.chance(0.5) ? { sender: values.sender, subject: values.subject } : {};
        break;
      }
    }
    this.lifecycle(doc, force, draft, values);
    // A forced state the line could not reach (e.g. the clock ran out first) is tried on the next one.
    if (force && doc.state !== force) tpl.coverage.unshift(force);
    this.docs++;
    const counts = this.byTemplate[tpl.key];
    counts[doc.state] = (counts[doc.state] ?? 0) + 1;
  }

  /** A date for an overtime request: a working day soon after it is made, in a week this employee has no other request. */
  private overtimeSlot(author: number, at: number): string | undefined {
    const d0 = this.cal.dayAt(at);
    for (let attempt = 0; attempt < 4; attempt++) {
      let d = d0 + this.rnd.int(1, 10);
      while (!this.cal.days[d].working) d++;
      const monday = d - (this.cal.days[d].weekday - 1);
      const key = `${author}|${monday}`;
      if (this.usedWeeks.has(key)) continue;
      this.usedWeeks.add(key);
      return this.cal.days[d].date;
    }
    return undefined;
  }

  private leave(at: number) {
    const type = this.rnd.weighted({ annual: 7, paid: 2, unpaid: 1 });
    let d = this.cal.dayAt(at) + this.rnd.int(3, 30);
    while (!this.cal.days[d].working) d++;
    const start = d;
    let left = type === 'annual' ? this.rnd.int(1, 15) : this.rnd.int(1, 5);
    const days = left;
    let end = start;
    for (left--; left > 0; ) if (this.cal.days[++end].working) left--;
    return { leaveType: type, startDate: this.cal.days[start].date, endDate: this.cal.days[end].date, workingDays: days };
  }

  // ---------------------------------------------------------------- the line

  private lifecycle(doc: DocSim, force: Outcome | undefined, draft: Record<string, unknown>, full: Record<string, unknown>): void {
    const { tpl } = doc;
    const now = this.input.now;
    this.event(doc, doc.createdAt, 'document.created', doc.author, { template: tpl.key, version: tpl.def.version, sourceDocumentId: doc.sourceId });
    doc.values = { ...draft };
    if (tpl.key === 'incoming-mail') {
      this.attach(doc, full, doc.createdAt + this.rnd.int(20_000, 300_000));
      doc.values.scan = full.scan;
    }
    const typed = Object.keys(draft).some((k) => !['employee', 'unit', 'request'].includes(k));
    const asDraft = () => {
      doc.state = 'draft';
      if (typed || tpl.key === 'incoming-mail') {
        doc.version = 2;
        doc.updatedAt = Math.min(now - 1, doc.createdAt + this.rnd.int(60_000, 20 * MINUTE));
      }
    };
    const resolvable = tpl.def.route.every((s) => s.assignee.type === 'staffField' || this.resolve(doc, s).length > 0);
    if (force === 'draft' || (!force && this.rnd.chance(0.03)) || !resolvable) return asDraft();
    let submitAt = doc.createdAt + Math.round(this.rnd.logNormal(8, 1) * MINUTE) + 5000;
    if (submitAt >= now) return asDraft();

    const slip = tpl.key === 'overtime-pay-slip';
    for (;;) {
      // ---- submission (submitDocument): save, validate, in_approval, revision, number, audit, line
      doc.round += 1;
      const resubmission = doc.round > 1;
      if (resubmission && tpl.key === 'overtime-request') full = { ...full, description: `${full.description}. ${this.rnd.pick(['Рок је сутра.', 'По налогу начелника.', 'Исправљено.'])}` };
      if (slip) full = { ...full, ...this.slipTotals(full, submitAt) };
      doc.values = { ...doc.values, ...full };
      doc.computed = this.computed(tpl, doc.values);
      doc.version += 2;
      doc.state = 'in_approval';
      doc.submittedAt = submitAt;
      doc.updatedAt = submitAt;
      this.revision(doc, resubmission ? 'resubmitted' : 'submitted', doc.author, submitAt);
      if (tpl.def.numbering.register && tpl.def.numbering.at === 'submit' && !doc.registry && doc.registeredAt === null) this.register(doc, submitAt + 3);
      this.event(doc, submitAt + 6, resubmission ? 'document.resubmitted' : 'document.submitted', doc.author, { round: doc.round });

      let t = submitAt + 9;
      let lastActor = doc.author;
      let stage = 0;
      let decidedInRound = false;
      for (; stage < tpl.stages.length && tpl.stages.slice(stage).some(isDecisive); stage++) {
        const step = tpl.stages[stage][0];
        const rows = this.openStep(doc, step, stage, t);
        const sla = this.slaOf(tpl, step);
        const delay = Math.max(0.05, this.rnd.logNormal(0.35 * sla, 0.9));
        const decideAt = this.cal.addBusinessHours(t, delay);
        // Withdrawal: the author takes it back before anyone has decided in this round.
        const withdraw = !decidedInRound && (force === 'withdrawn' || (!force && this.rnd.chance(0.012)));
        if (withdraw) {
          const at = t + Math.floor(this.rnd.next() * Math.min(decideAt - t, 8 * HOUR));
          if (at < now) {
            for (const r of rows) this.close(r, 'skipped', at);
            doc.state = 'withdrawn';
            doc.version += 1;
            doc.decidedAt = at;
            doc.updatedAt = at;
            this.event(doc, at, 'document.withdrawn', doc.author, {});
            return;
          }
        }
        const stuck = force === 'in_approval' || (!force && this.rnd.chance(0.002));
        if (stuck || decideAt >= now) return; // still waiting at this step
        // The decision.
        let outcome: string;
        if (force === 'returned' && doc.round === 1) outcome = 'returned';
        else if (force === 'rejected' && step.kind === 'approve') outcome = 'rejected';
        else if (force) outcome = step.kind === 'approve' ? 'approved' : step.kind === 'prepare' ? 'prepared' : 'opinion';
        else if (step.kind === 'approve') outcome = this.rnd.weighted({ approved: 90, returned: 6, rejected: 4 });
        else if (step.kind === 'prepare') outcome = this.rnd.weighted({ prepared: 95, returned: 5 });
        else outcome = 'opinion';
        const actorRow = this.rnd.pick(rows);
        const actor = actorRow.assignee;
        const comment = outcome === 'returned' ? this.rnd.pick(returnComments) : outcome === 'rejected' ? this.rnd.pick(rejectComments) : outcome === 'opinion' ? 'Мишљење дато.' : null;
        if (outcome === 'prepared') {
          doc.values = { ...doc.values, ...this.prepared(doc) };
          doc.computed = this.computed(tpl, doc.values);
          doc.version += 1;
          this.revision(doc, 'prepared', actor, decideAt);
        }
        actorRow.state = 'done';
        actorRow.outcome = outcome;
        actorRow.actedBy = actor;
        actorRow.comment = comment;
        actorRow.actedAt = decideAt;
        actorRow.closedAt = decideAt;
        for (const r of rows) if (r !== actorRow) this.close(r, 'skipped', decideAt);
        this.event(doc, decideAt + 4, `document.step.${outcome}`, actor, { step: step.id, comment, onBehalfOfMembershipId: null });
        decidedInRound = true;
        lastActor = actor;
        doc.updatedAt = decideAt + 8;
        if (outcome === 'returned' || outcome === 'rejected') {
          doc.version += 1;
          doc.state = outcome;
          doc.decidedAt = outcome === 'rejected' ? decideAt : null;
          this.note(doc, doc.author, outcome === 'rejected' ? 'document.rejected' : 'document.returned', { step: step.id }, decideAt + 8);
          if (outcome === 'rejected') return;
          // Corrected and resubmitted (a new round), or left returned.
          if (force === 'returned' || doc.round >= 3 || this.rnd.chance(0.25)) return;
          submitAt = this.cal.addBusinessHours(decideAt, Math.max(0.1, this.rnd.logNormal(3, 1)));
          if (submitAt >= now) return;
          break;
        }
        doc.version += 1;
        t = decideAt + 10;
      }
      if (doc.state === 'returned') continue;
      // ---- no decision left (advance): open what remains, approve, register
      const at = t;
      const after: { step: Step; rows: StepSim[] }[] = [];
      for (; stage < tpl.stages.length; stage++) after.push({ step: tpl.stages[stage][0], rows: this.openStep(doc, tpl.stages[stage][0], stage, at) });
      doc.version += 1;
      doc.state = 'approved';
      doc.decidedAt = at;
      doc.updatedAt = at + 12;
      if (tpl.def.numbering.register && tpl.def.numbering.at === 'final' && doc.registeredAt === null) this.register(doc, at + 2);
      if (tpl.def.numbering.register) {
        doc.version += 1;
        doc.state = 'registered';
      }
      const registered = doc.state === 'registered';
      this.event(doc, at + 12, registered ? 'document.registered' : 'document.approved', lastActor, {}, true);
      this.note(doc, doc.author, registered ? 'document.registered' : 'document.approved', 'registry', at + 12);
      this.afterFinal(doc, at);
      this.takeNote(doc, after, at + 20);
      return;
    }
  }

  /**
   * The steps the final decision opened (HR taking note, a non-blocking opinion) are done in
   * their own time as actOnStep does them after the decision: one holder acts, the others are
   * skipped, the document's version moves on. A few are still waiting, as in a real inbox.
   */
  private takeNote(doc: DocSim, after: { step: Step; rows: StepSim[] }[], from: number): void {
    for (const { step, rows } of after) {
      if (this.rnd.chance(0.01)) continue;
      const at = this.cal.addBusinessHours(from, Math.max(0.05, this.rnd.logNormal(0.35 * this.slaOf(doc.tpl, step), 0.9)));
      if (at >= this.input.now) continue;
      const outcome = step.kind === 'consult' ? 'opinion' : 'acknowledged';
      const comment = outcome === 'opinion' ? 'Мишљење дато.' : null;
      const actorRow = this.rnd.pick(rows);
      Object.assign(actorRow, { state: 'done', outcome, actedBy: actorRow.assignee, comment, actedAt: at, closedAt: at });
      for (const r of rows) if (r !== actorRow) this.close(r, 'skipped', at);
      this.event(doc, at + 4, `document.step.${outcome}`, actorRow.assignee, { step: step.id, comment, onBehalfOfMembershipId: null });
      if (outcome === 'opinion') this.note(doc, doc.author, 'document.opinion', { step: step.id }, at + 4);
      doc.version += 1;
      doc.updatedAt = Math.max(doc.updatedAt, at + 8);
    }
  }

  /** computeValues, remembered per template for the inputs its expressions read. */
  private computed(tpl: Tpl, values: Record<string, unknown>): Record<string, string> {
    if (!tpl.def.computed.length) return {};
    const key = `${tpl.key}|${tpl.def.fields.map((f) => (f.type === 'text' || f.type === 'textarea' || f.type === 'staff' || f.type === 'orgUnit' || f.type === 'document' || f.type === 'attachment' || f.type === 'select' ? '' : String(values[f.name]))).join('|')}`;
    let hit = this.computedCache.get(key);
    if (!hit) {
      if (this.computedCache.size > 50_000) this.computedCache.clear();
      hit = computeValues(tpl.def, { values: values as never, tenantParameters: tpl.row.parameters });
      this.computedCache.set(key, hit);
    }
    return { ...hit };
  }

  private slaOf(tpl: Tpl, step: Step): number {
    const hours = typeof step.slaHours === 'string' ? tpl.row.parameters[step.slaHours] : step.slaHours;
    return hours ?? 16;
  }

  /** The step's rows (one per resolved assignee), as advance() opens them, with their reminders. */
  private openStep(doc: DocSim, step: Step, stage: number, at: number): StepSim[] {
    const assignees = [...new Set(this.resolve(doc, step))];
    if (!assignees.length) throw new Error(`${doc.tpl.key}: no assignee for ${step.id}`);
    const tpl = doc.tpl;
    const hours = typeof step.slaHours === 'string' ? tpl.row.parameters[step.slaHours] : step.slaHours;
    const due = hours ? this.cal.addBusinessHours(at, hours) : null;
    const rows = assignees.map((assignee) => {
      const row: StepSim = {
        id: this.rnd.uuid(),
        round: doc.round,
        stage,
        key: step.id,
        kind: step.kind,
        assignee,
        state: 'pending',
        outcome: null,
        actedBy: -1,
        comment: null,
        activatedAt: at,
        dueAt: due,
        actedAt: null,
        closedAt: null,
        remindersSent: 0,
      };
      doc.steps.push(row);
      return row;
    });
    for (const a of assignees) this.note(doc, a, 'step.assigned', { step: step.id }, at);
    return rows;
  }

  private close(row: StepSim, state: 'skipped', at: number): void {
    row.state = state;
    row.closedAt = at;
  }

  private register(doc: DocSim, at: number): void {
    doc.registeredAt = at;
    this.push({ t: at, o: this.order++, doc, type: null, actor: -1, data: {}, registryData: false });
  }

  private event(doc: DocSim, at: number, type: string, actor: number, data: Record<string, unknown>, registryData = false): void {
    this.push({ t: at, o: this.order++, doc, type, actor, data, registryData });
  }

  private note(doc: DocSim, recipient: number, kind: string, data: Note['data'], at: number): void {
    doc.notes.push({ recipient, kind, data, at });
  }

  private revision(doc: DocSim, reason: string, author: number, at: number): void {
    doc.revisions.push({ id: this.rnd.uuid(), values: jsonField(doc.values), author, reason, at });
  }

  private attach(doc: DocSim, full: Record<string, unknown>, at: number): void {
    const id = this.rnd.uuid();
    full.scan = [id];
    const { tenantId } = this.input;
    this.sink.attachment(`${tenantId}\t${id}\t${doc.id}\tscan\tsken-${this.rnd.int(1000, 9999)}.pdf\tapplication/pdf\t${SCAN.length}\t${SCAN_SHA256}\t${SCAN_BYTEA}\t${this.members[doc.author].id}\t${iso(at)}\n`);
  }

  private prepared(doc: DocSim): Record<string, unknown> {
    if (doc.tpl.key === 'overtime-pay-slip') {
      const rate = `${this.rnd.int(420, 980)}.${String(this.rnd.int(0, 99)).padStart(2, '0')}`;
      return this.rnd.chance(0.1) ? { hourlyRate: rate, note: 'Обрачун по решењу о коефицијентима.' } : { hourlyRate: rate };
    }
    if (doc.tpl.key === 'incoming-mail') {
      let handler = this.members[this.rnd.int(0, this.members.length - 1)];
      while (handler.i === doc.author) handler = this.members[this.rnd.int(0, this.members.length - 1)];
      return this.rnd.chance(0.5) ? { caseHandler: handler.id, instructions: this.rnd.pick(instructions) } : { caseHandler: handler.id };
    }
    throw new Error(`${doc.tpl.key}: no prepare values`);
  }

  /** The slip's sums as withAggregates computes them: the employee's confirmed reports of the month so far. */
  private slipTotals(values: Record<string, unknown>, at: number) {
    const employee = this.memberById.get(String(values.employee))!;
    const reports = (this.approvedReports.get(`${employee}|${values.month}`) ?? []).filter((r) => r.decidedAt < at);
    const sum = (k: 'hours' | 'night' | 'holiday') => fromHundredths(reports.reduce((s, r) => s + r[k], 0n));
    return { totalHours: sum('hours'), nightHours: sum('night'), holidayHours: sum('holiday') };
  }

  /** What a final approval makes possible later: the result report of a request, a slip's inputs. */
  private afterFinal(doc: DocSim, at: number): void {
    if (doc.tpl.key === 'overtime-request' && this.tpls.has('overtime-report') && this.rnd.chance(0.85)) {
      const v = doc.values as Record<string, string>;
      const day = this.cal.dayIndexOf(v.date)!;
      // Filed after the work, from the next day on (today's plans are already under way).
      let d = Math.max(day, this.cal.dayAt(at) + 1);
      for (let k = this.rnd.int(0, 3); k > 0 || !this.cal.days[d].working; ) if (this.cal.days[++d].working) k--;
      const when = Math.max(this.workingMoment(d), at + HOUR);
      if (when < this.input.now) {
        const plan: Plan = { kind: 'overtime-report', at: when, request: { id: doc.id, author: doc.author, date: v.date, start: v.plannedStart, end: v.plannedEnd, decidedAt: at } };
        const pd = this.cal.dayAt(when);
        this.scheduled.set(pd, [...(this.scheduled.get(pd) ?? []), plan]);
      }
    }
    if (doc.tpl.key === 'overtime-report') {
      const v = doc.values as Record<string, string>;
      const c = doc.computed as Record<string, string>;
      const key = `${doc.author}|${v.date.slice(0, 7)}`;
      this.approvedReports.set(key, [...(this.approvedReports.get(key) ?? []), { decidedAt: at, hours: hundredths(c.hours), night: hundredths(c.nightHours), holiday: hundredths(c.holidayHours) }]);
    }
  }

  // ---------------------------------------------------------------- time-ordered release

  private push(p: Pending): void {
    p.doc.open++;
    const h = this.heap;
    h.push(p);
    let i = h.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (before(h[parent], h[i])) break;
      [h[parent], h[i]] = [h[i], h[parent]];
      i = parent;
    }
  }

  private pop(): Pending {
    const h = this.heap;
    const top = h[0];
    const last = h.pop()!;
    if (h.length) {
      h[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < h.length && before(h[l], h[m])) m = l;
        if (r < h.length && before(h[r], h[m])) m = r;
        if (m === i) break;
        [h[m], h[i]] = [h[i], h[m]];
        i = m;
      }
    }
    return top;
  }

  /** Writes the audit events (and takes the registry numbers) due before `until`, in time order. */
  private release(until: number): void {
    while (this.heap.length && this.heap[0].t < until) {
      const p = this.pop();
      const doc = p.doc;
      if (p.type === null) this.takeNumber(doc, p.t);
      else this.writeEvent(p);
      if (--doc.open === 0) this.finish(doc);
    }
  }

  private takeNumber(doc: DocSim, at: number): void {
    const year = belgradeYear(at);
    const classification = doc.tpl.classification;
    const key = `${year}|${classification}`;
    const seq = (this.counters.get(key) ?? 0) + 1;
    this.counters.set(key, seq);
    const unit = this.members[doc.author].unit;
    doc.registry = { year, classification, seq, display: formatRegistryNumber(this.input.registryFormat, { class: classification, seq, year, unit: unit >= 0 ? this.units[unit].code : '' }) };
  }

  private writeEvent(p: Pending): void {
    const actor = this.members[p.actor];
    const data: Record<string, unknown> = { actorMembershipId: actor.id, ...p.data };
    if (p.registryData) data.registryNumber = p.doc.registry?.display ?? null;
    this.seq += 1;
    const event = {
      tenantId: this.input.tenantId,
      seq: this.seq,
      occurredAt: iso(p.t),
      actorUserId: actor.userId,
      onBehalfOfUserId: null,
      ip: actor.ip,
      userAgent: actor.ua,
      type: p.type!,
      subjectType: 'document',
      subjectId: p.doc.id,
      data,
    };
    const prev = this.hash;
    this.hash = seedChainHash(prev, event);
    if (this.checked < 200) {
      this.checked++;
      if (this.verifyHash(prev, event) !== this.hash) throw new Error(`audit hash differs from db/audit.ts at ${event.type}`);
    }
    this.sink.audit(
      `${event.tenantId}\t${event.seq}\t${event.occurredAt}\t${event.actorUserId}\t${NULL}\t${event.ip}\t${field(event.userAgent)}\t${event.type}\tdocument\t${event.subjectId}\t${jsonField(data)}\t${prev}\t${this.hash}\n`,
    );
  }

  // ---------------------------------------------------------------- rows

  private finish(doc: DocSim): void {
    const { tenantId } = this.input;
    const now = this.input.now;
    const tpl = doc.tpl;
    const author = this.members[doc.author];
    const r = doc.registry;
    const unit = author.unit >= 0 ? this.units[author.unit].id : NULL;
    const registry = r ? `${field(r.display)}\t${r.year}\t${field(r.classification)}\t${r.seq}\t${isoOrNull(doc.registeredAt)}` : `${NULL}\t${NULL}\t${NULL}\t${NULL}\t${NULL}`;
    this.sink.document(
      `${tenantId}\t${doc.id}\t${tpl.row.templateId}\t${tpl.row.versionId}\t${author.id}\t${unit}\t${doc.state}\t${jsonField(doc.values)}\t${jsonField(doc.computed)}\t` +
        `${doc.version}\t${doc.round}\t${doc.sourceId ?? NULL}\t${registry}\t${isoOrNull(doc.submittedAt)}\t${isoOrNull(doc.decidedAt)}\t${iso(doc.createdAt)}\t${iso(doc.updatedAt)}\n`,
    );
    for (const s of doc.steps) {
      this.remind(doc, s);
      this.sink.step(
        `${tenantId}\t${s.id}\t${doc.id}\t${s.round}\t${s.stage}\t${field(s.key)}\t${s.kind}\t${this.members[s.assignee].id}\t${s.state}\t${s.outcome ?? NULL}\t` +
          `${s.actedBy >= 0 ? this.members[s.actedBy].id : NULL}\t${NULL}\t${field(s.comment)}\t${iso(s.activatedAt)}\t${isoOrNull(s.dueAt)}\t${isoOrNull(s.actedAt)}\t${s.remindersSent}\n`,
      );
    }
    doc.revisions.forEach((rev, i) => {
      this.sink.revision(`${tenantId}\t${rev.id}\t${doc.id}\t${i + 1}\t${rev.values}\t${this.members[rev.author].id}\t${rev.reason}\t${iso(rev.at)}\n`);
    });
    for (const n of doc.notes) {
      if (n.at >= now) continue;
      const data = n.data === 'registry' ? { registryNumber: r?.display ?? null } : n.data;
      // Staff clear their notifications now and then (markAllRead): most old ones are read.
      const readAt = n.at + Math.round(this.rnd.logNormal(5, 1.2) * HOUR);
      this.sink.notification(`${tenantId}\t${this.rnd.uuid()}\t${this.members[n.recipient].id}\t${n.kind}\t${doc.id}\t${jsonField(data)}\t${iso(n.at)}\t${readAt < now ? iso(readAt) : NULL}\n`);
    }
  }

  /** The reminder rounds the sweep sent while the step waited (jobs/definitions/reminders.ts). */
  private remind(doc: DocSim, s: StepSim): void {
    if (s.dueAt === null) return;
    const now = this.input.now;
    const until = s.closedAt ?? now;
    if (s.dueAt >= until) return;
    const data = { step: s.key, assigneeId: this.members[s.assignee].id, dueAt: new Date(s.dueAt).toISOString(), rounds: REMINDER_ROUNDS };
    // A step still pending may have a round due that the sweep has not reached yet.
    const lagging = s.closedAt === null && this.rnd.chance(0.15);
    let sent = 0;
    for (let round = 1; round <= REMINDER_ROUNDS + 1; round++) {
      const due = round === 1 ? s.dueAt : this.cal.addBusinessHours(s.dueAt, (round - 1) * REMINDER_REPEAT_HOURS);
      const at = due + this.rnd.int(5_000, 5 * MINUTE);
      if (at >= until) break;
      if (lagging && (round === REMINDER_ROUNDS + 1 || this.cal.addBusinessHours(s.dueAt, round * REMINDER_REPEAT_HOURS) + 5 * MINUTE >= until)) break;
      sent = round;
      const recipients = round <= REMINDER_ROUNDS ? [s.assignee] : this.admins;
      for (const rcp of recipients) this.note(doc, rcp, round <= REMINDER_ROUNDS ? 'step.reminder' : 'step.escalated', { ...data, round }, at);
    }
    s.remindersSent = sent;
  }
}

function monthsBetween(a: string, b: string): number {
  return (Number(b.slice(0, 4)) - Number(a.slice(0, 4))) * 12 + Number(b.slice(5, 7)) - Number(a.slice(5, 7));
}

function before(a: Pending, b: Pending): boolean {
  return a.t < b.t || (a.t === b.t && a.o < b.o);
}
