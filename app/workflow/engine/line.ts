// The approval line's shape, derived from a template's route: pure, shared by the engine
// and the document card.
import type { Step, TemplateVersion } from '../template/schema';

/** Adjacent steps of one parallel group run together as one stage; any other step is a stage of its own. */
export function stagesOf(def: TemplateVersion): Step[][] {
  const stages: Step[][] = [];
  for (const step of def.route) {
    const last = stages.at(-1);
    if (step.parallel && last?.[0].parallel?.group === step.parallel.group) last.push(step);
    else stages.push([step]);
  }
  return stages;
}

/** Steps the line waits for. Acknowledging and non-blocking opinions never hold a document up. */
export function isGate(step: Step): boolean {
  return step.kind === 'approve' || step.kind === 'prepare' || (step.kind === 'consult' && !!step.blocking);
}

export function isDecisive(stage: Step[]): boolean {
  return stage.some(isGate);
}

/** Whether a stage's gates are complete, given which of its steps are done. */
export function stageComplete(stage: Step[], done: ReadonlySet<string>): boolean {
  const gates = stage.filter(isGate);
  if (!gates.length) return true;
  const quorum = stage[0].parallel?.quorum ?? 'all';
  const count = gates.filter((s) => done.has(s.id)).length;
  if (quorum === 'all') return count === gates.length;
  if (quorum === 'any') return count >= 1;
  return count >= Math.min(quorum.n, gates.length);
}

export const outcomesOf: Record<Step['kind'], readonly string[]> = {
  approve: ['approved', 'rejected', 'returned'],
  consult: ['opinion'],
  acknowledge: ['acknowledged'],
  prepare: ['prepared', 'returned'],
};
