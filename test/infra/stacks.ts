/**
 * The synthesized templates of the root stack and its nested stacks, read as one: assertions about
 * the system (which function may touch which table) do not depend on which stack a resource is in.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { NestedStack, type Stack, Stage } from 'aws-cdk-lib';

// biome-ignore lint/suspicious/noExplicitAny: templates are untyped JSON
type Json = any;

export interface SynthesizedStack {
  stack: Stack;
  /** The template as CloudFormation receives it. */
  template: Json;
  /** Its size in bytes, as uploaded. */
  bytes: number;
}

export interface WholeTemplate {
  /** The root stack first, then each nested stack. */
  stacks: SynthesizedStack[];
  /**
   * Every resource of every stack by its logical id. In a nested stack's resources each parameter
   * the root passes in is replaced by the root's value, and each of another nested stack's outputs by
   * what that stack outputs, so a table's ARN reads `{ "Fn::GetAtt": ["Cases", "Arn"] }` wherever it is used.
   */
  resources: Record<string, Json>;
}

/** Synthesizes the app of `root` once and reads its templates. */
export function wholeTemplate(root: Stack): WholeTemplate {
  const stage = Stage.of(root);
  if (!stage) throw new Error(`${root.node.path} is in no app`);
  const assembly = stage.synth();
  const read = (stack: Stack): SynthesizedStack => {
    const text = readFileSync(join(assembly.directory, stack.templateFile), 'utf8');
    return { stack, template: JSON.parse(text), bytes: Buffer.byteLength(text) };
  };
  const nested = root.node.findAll().filter((c): c is NestedStack => NestedStack.isNestedStack(c));
  const stacks = [read(root), ...nested.map(read)];
  const rootTemplate = stacks[0]!.template;
  /** Nested stack by the logical id of its `AWS::CloudFormation::Stack` resource in the root. */
  const byResource = new Map(
    stacks.slice(1).map((s) => [root.resolve((s.stack as NestedStack).nestedStackResource!.logicalId), s]),
  );

  const inRoot = (value: Json): Json => {
    const getAtt = value?.['Fn::GetAtt'];
    if (Array.isArray(getAtt) && byResource.has(getAtt[0]) && String(getAtt[1]).startsWith('Outputs.')) {
      const producer = byResource.get(getAtt[0])!;
      const output = producer.template.Outputs?.[String(getAtt[1]).slice('Outputs.'.length)];
      if (!output) throw new Error(`no output ${getAtt[1]} in ${producer.stack.node.path}`);
      return inNested(producer, output.Value);
    }
    return walk(value, inRoot);
  };
  const inNested = (nestedStack: SynthesizedStack, value: Json): Json => {
    if (value && typeof value.Ref === 'string' && nestedStack.template.Parameters?.[value.Ref]) {
      const id = root.resolve((nestedStack.stack as NestedStack).nestedStackResource!.logicalId);
      const passed = rootTemplate.Resources[id].Properties.Parameters?.[value.Ref];
      // A parameter of its own, resolved by CloudFormation from its default (an SSM parameter's name).
      if (passed === undefined && nestedStack.template.Parameters[value.Ref].Default !== undefined)
        return value;
      if (passed === undefined) throw new Error(`the root passes no ${value.Ref} to ${id}`);
      return inRoot(passed);
    }
    return walk(value, (v) => inNested(nestedStack, v));
  };

  const resources: Record<string, Json> = {};
  for (const s of stacks) {
    for (const [id, resource] of Object.entries<Json>(s.template.Resources)) {
      if (id in resources) throw new Error(`logical id ${id} is in two stacks; assertions would mix them up`);
      resources[id] = s.stack === root ? inRoot(resource) : inNested(s, resource);
    }
  }
  return { stacks, resources };
}

function walk(value: Json, each: (v: Json) => Json): Json {
  if (Array.isArray(value)) return value.map(each);
  if (value && typeof value === 'object')
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, each(v)]));
  return value;
}
