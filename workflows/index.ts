import { application } from './application.ts';
import { emergency } from './emergency.ts';
import { gradualExit } from './gradual-exit.ts';
import { monitoring } from './monitoring.ts';
import { payroll } from './payroll.ts';
import { recheck } from './recheck.ts';
import type { AslDocument, WorkflowDefinition } from './types.ts';

export type { AslDocument, WorkflowDefinition } from './types.ts';

export const workflows: WorkflowDefinition[] = [
  application,
  recheck,
  gradualExit,
  emergency,
  monitoring,
  payroll,
];

/** Replace `${Name}` placeholders the way CloudFormation's DefinitionSubstitutions does. */
export function substitute(definition: AslDocument, values: Record<string, string>): AslDocument {
  const text = JSON.stringify(definition).replace(/\$\{(\w+)\}/g, (whole, name: string) => {
    const value = values[name];
    if (value === undefined) throw new Error(`no value for placeholder ${whole}`);
    return value;
  });
  return JSON.parse(text) as AslDocument;
}
