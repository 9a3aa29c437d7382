import { NestedStack, Stack } from 'aws-cdk-lib';
import type { Construct, IConstruct } from 'constructs';
import {
  type FunctionDefinition,
  type FunctionName,
  type FunctionStack,
  functions,
} from '../functions/catalog.ts';
import type { WorkflowDefinition } from '../workflows/index.ts';
import { Functions, type FunctionsProps } from './functions.ts';
import { StateMachines } from './workflows.ts';

/**
 * The deployed system's name: the root stack's. A nested stack's own name is made by CloudFormation
 * at deployment, so names that must be known before (state machines, the API) take the root's.
 */
export function rootStackName(scope: IConstruct): string {
  let stack = Stack.of(scope);
  while (stack.nestedStackParent) stack = stack.nestedStackParent;
  return stack.stackName;
}

/** A workflow is deployed with its step functions, which must all be in one stack. */
export function stackOfWorkflow(def: WorkflowDefinition): FunctionStack {
  const stacks = new Set(
    Object.values(def.substitutions).map((name) => functions[name as FunctionName].stack),
  );
  const [stack, ...others] = stacks;
  if (!stack || others.length)
    throw new Error(
      `workflow ${def.id}: its step functions are in ${stacks.size ? [...stacks].join(' and ') : 'no stack'}; a workflow lives with its step functions in one stack`,
    );
  return stack;
}

export interface LifecycleStackProps extends Omit<FunctionsProps, 'definitions'> {
  lifecycle: FunctionStack;
  description: string;
}

/**
 * One lifecycle's share of the system (docs/architecture.md §5): the functions that
 * `functions/catalog.ts` puts in it, with their grants, and the state machines of the workflows whose
 * steps they are. The data they act on stays in the root stack, which passes it in as parameters.
 */
export class LifecycleStack extends NestedStack {
  readonly functions: Functions;
  readonly stateMachines: StateMachines;

  constructor(scope: Construct, id: string, props: LifecycleStackProps) {
    super(scope, id, { description: props.description });
    const { lifecycle, description: _, ...shared } = props;
    const definitions = Object.fromEntries(
      (Object.entries(functions) as Array<[FunctionName, FunctionDefinition]>).filter(
        ([, def]) => def.stack === lifecycle,
      ),
    );
    this.functions = new Functions(this, 'Functions', { ...shared, definitions });
    this.stateMachines = new StateMachines(this, 'Workflows', {
      definitions: props.workflowDefinitions.filter((w) => stackOfWorkflow(w) === lifecycle),
      references: props.workflows,
      buckets: props.buckets,
      functionNamed: (name) => this.functions.get(name),
      key: props.key,
      logRetention: props.logRetention,
    });
  }
}
