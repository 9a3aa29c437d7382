import { describe, expect, it } from 'vitest';
import { functions } from '../../functions/catalog.ts';
import { taskStates, taskToken } from '../../local/sfn/engine.ts';
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
