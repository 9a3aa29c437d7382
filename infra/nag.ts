import { App, type AppProps, CfnElement, Names, Stack, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import type { IConstruct } from 'constructs';

/**
 * CDK's own switch ("construct library strict mode") that makes a validation warning fail synthesis
 * like an error: cdk-nag's warning-level rules (CloudFront geo restriction, WAF, …) must be fixed or
 * acknowledged as much as its errors.
 */
const WARNINGS_FAIL = '@aws-cdk/core:strictCfnValidateErrors';

/**
 * An app checked by cdk-nag's AwsSolutions pack: synthesis fails on any finding, error or warning,
 * that is not acknowledged in code with `acknowledge` below. `infra/app.ts` and the template tests
 * build their app with this.
 */
export function checkedApp(props: AppProps = {}): App {
  const app = new App({ ...props, context: { ...props.context, [WARNINGS_FAIL]: true } });
  // Acknowledgements are also written into each resource's template Metadata (`cdk_nag`), so the
  // deployed template itself says which findings were accepted and why.
  Validations.of(app).addPlugins(
    new AwsSolutionsChecks(app, { verbose: true, writeSuppressionsToCloudFormation: true }),
  );
  return app;
}

/**
 * Acknowledges one AwsSolutions finding on `scope` and everything below it, with the reason (kept in
 * the template's Metadata). `finding` is the rule, e.g. `L1`, or for rules that report several
 * findings per resource the rule and the finding, e.g. `IAM5[Resource::*]`. Acknowledge on the
 * resource the finding is about, never on the stack.
 */
export function acknowledge(scope: IConstruct, finding: string, reason: string): void {
  Validations.of(scope).acknowledge({ id: `AwsSolutions-${finding}`, reason });
}

/**
 * How cdk-nag names a resource's attribute in a finding on `seenFrom`: `<LogicalId.Arn>` for
 * `{ "Fn::GetAtt": [LogicalId, "Arn"] }` within one stack. Seen from a nested stack, the attribute
 * of a resource of its parent arrives as a parameter that CDK names `reference-to-<unique id><attribute>`
 * (aws-cdk-lib core/lib/private/refs.ts), and cdk-nag names it `<thatParameter>`.
 */
export function attributeRef(construct: IConstruct, seenFrom: IConstruct, attribute = 'Arn'): string {
  const element = CfnElement.isCfnElement(construct) ? construct : construct.node.defaultChild;
  if (!element || !CfnElement.isCfnElement(element))
    throw new Error(`${construct.node.path} has no resource`);
  const owner = Stack.of(element);
  const consumer = Stack.of(seenFrom);
  // `logicalId` resolves overrides (pinned ids such as `Cases`), `getLogicalId` would not.
  if (consumer === owner) return `<${owner.resolve(element.logicalId)}.${attribute}>`;
  if (consumer.nestedStackParent !== owner)
    throw new Error(
      `${seenFrom.node.path} sees ${construct.node.path} neither in its stack nor its parent's`,
    );
  return `<${`referenceto${Names.nodeUniqueId(element.node)}${attribute}`.replace(/[^A-Za-z0-9]/g, '')}>`;
}
