import { describe, expect, it } from 'vitest';
import { functions } from '../../functions/catalog.ts';
import { taskStates, taskToken } from '../../local/sfn/asl.ts';
import { taskKindLabels as auditTaskKindLabels } from '../../shared/audit.ts';
import { deciders } from '../../shared/domain/tasks.ts';
import { stateLabels, taskKindLabels } from '../../web/src/lib/labels.ts';
import { substitute, workflows } from '../../workflows/index.ts';

describe('workflow definitions', () => {
  it('name only functions that exist, and use every placeholder they declare', () => {
    for (const workflow of workflows) {
      const text = JSON.stringify(workflow.definition);
      const used = new Set([...text.matchAll(/\$\{(\w+)\}/g)].map((m) => m[1]));
      expect(used).toEqual(new Set(Object.keys(workflow.substitutions)));
      for (const fn of Object.values(workflow.substitutions)) expect(functions).toHaveProperty(fn);
    }
  });

  it('every state of every workflow reads in Chinese on the pages (workbench, audit timeline)', () => {
    const states = (def: { States?: Record<string, Record<string, unknown>> }): string[] =>
      Object.entries(def.States ?? {}).flatMap(([name, s]) => [
        name,
        ...states((s.ItemProcessor ?? s.Iterator ?? {}) as never),
        ...((s.Branches ?? []) as never[]).flatMap(states),
      ]);
    const unlabelled = workflows.flatMap((w) =>
      states(w.definition as never)
        .filter((name) => !stateLabels[name])
        .map((name) => `${w.id}.${name}`),
    );
    expect(unlabelled).toEqual([]);
  });

  it('every kind of task a caseworker decides has its Chinese name, on the pages and in the audit log', () => {
    for (const kind of Object.keys(deciders)) {
      expect(taskKindLabels[kind], kind).toBeTruthy();
      expect(auditTaskKindLabels[kind], kind).toBeTruthy();
    }
  });

  it('substitute fills every placeholder and refuses a missing one', () => {
    const def = {
      StartAt: 'A',
      States: { A: { Type: 'Task', Resource: 'x', Parameters: { FunctionName: '${Fn}' }, End: true } },
    };
    expect(substitute(def, { Fn: 'arn:1' }).States.A!.Parameters).toEqual({ FunctionName: 'arn:1' });
    expect(() => substitute(def, {})).toThrow(/\$\{Fn\}/);
  });

  it('finds Task states nested in Map and Parallel states', () => {
    const names = taskStates({
      States: {
        A: { Type: 'Task' },
        M: { Type: 'Map', ItemProcessor: { States: { B: { Type: 'Task' } } } },
        P: { Type: 'Parallel', Branches: [{ States: { C: { Type: 'Task' }, D: { Type: 'Pass' } } }] },
      },
    }).map(([n]) => n);
    expect(names).toEqual(['A', 'B', 'C']);
  });

  it('makes task tokens that are stable per execution, state and invocation, and distinct otherwise', () => {
    expect(taskToken('arn:e', 'S', 1)).toBe(taskToken('arn:e', 'S', 1));
    const tokens = new Set([
      taskToken('arn:e', 'S', 1),
      taskToken('arn:e', 'S', 2),
      taskToken('arn:e', 'T', 1),
      taskToken('arn:f', 'S', 1),
    ]);
    expect(tokens.size).toBe(4);
    expect(taskToken('arn:e', 'S', 1)).toMatch(/^[A-Za-z0-9_-]+$/);
  });
});
