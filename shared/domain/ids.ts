import { createHash, randomBytes } from 'node:crypto';

/** Time-sortable ids that are also valid Step Functions execution names ([A-Za-z0-9-_], ≤ 80). */
export function newId(prefix: string, now = new Date()): string {
  return `${prefix}-${now.getTime().toString(36)}${randomBytes(6).toString('hex')}`;
}

/** A stable id from stable inputs: a retried step computes the same id and finds its own record. */
export function stableId(prefix: string, ...parts: string[]): string {
  return `${prefix}-${createHash('sha256').update(parts.join('\u0000')).digest('hex').slice(0, 24)}`;
}
