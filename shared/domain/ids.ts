import { createHash, randomBytes } from 'node:crypto';
import type { ApplicationTaskKind } from './tasks.ts';

/** Time-sortable ids that are also valid Step Functions execution names ([A-Za-z0-9-_], ≤ 80). */
export function newId(prefix: string, now = new Date()): string {
  return `${prefix}-${now.getTime().toString(36)}${randomBytes(6).toString('hex')}`;
}

/** A stable id from stable inputs: a retried step computes the same id and finds its own record. */
export function stableId(prefix: string, ...parts: string[]): string {
  return `${prefix}-${createHash('sha256').update(parts.join('\u0000')).digest('hex').slice(0, 24)}`;
}

/**
 * An application's task id: one per execution, kind and review round, so that a retried step or an
 * escalation finds the same task, and one round's task is found from the next. (Here, not beside the
 * task types, which the pages' scripts import.)
 */
export const applicationTaskId = (executionArn: string, kind: ApplicationTaskKind, round: number): string =>
  stableId('task', executionArn, kind, String(round));
