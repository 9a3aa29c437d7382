import { App, type AppProps, CfnElement, Stack, Validations } from 'aws-cdk-lib';
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
 * How cdk-nag names a resource's attribute in a finding: `<LogicalId.Arn>` for
 * `{ "Fn::GetAtt": [LogicalId, "Arn"] }`.
 */
export function attributeRef(construct: IConstruct, attribute = 'Arn'): string {
  const element = CfnElement.isCfnElement(construct) ? construct : construct.node.defaultChild;
  if (!element || !CfnElement.isCfnElement(element))
    throw new Error(`${construct.node.path} has no resource`);
  // `logicalId` resolves overrides (pinned ids such as `Cases`), `getLogicalId` would not.
  return `<${Stack.of(element).resolve(element.logicalId)}.${attribute}>`;
}
