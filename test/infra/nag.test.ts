/**
 * cdk-nag's AwsSolutions rules over the whole stack (issue 7 item 7): no finding, error or warning, is
 * left unacknowledged; every acknowledgement sits on the resource it is about, gives a reason, and
 * still matches a finding; and an unacknowledged finding of either level does fail synthesis.
 */

import { rmSync } from 'node:fs';
import { type App, type CfnResource, Stack, Validations } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { AwsSolutionsChecks } from 'cdk-nag';
import type { IConstruct } from 'constructs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DoudiStack } from '../../infra/doudi-stack.ts';
import { acknowledge, checkedApp } from '../../infra/nag.ts';
import { type Profile, profiles } from '../../infra/profiles.ts';
import { fakeSite } from './fake-site.ts';
import { wholeTemplate } from './stacks.ts';

type Violations = ReturnType<AwsSolutionsChecks['validateScope']>['violations'];

/** One checked app per deployment profile (`infra/profiles.ts`): both must pass the same rules. */
const synthesized = new Map<Profile, { app: App; stack: DoudiStack }>();
let webDirectory: string;

beforeAll(() => {
  webDirectory = fakeSite();
  for (const profile of profiles) {
    // Function bundling is skipped as in template.test.ts: the rules read the template, not the code.
    const app = checkedApp({ context: { 'aws:cdk:bundling-stacks': [], profile } });
    const stack = new DoudiStack(app, 'Doudi', { webDirectory });
    // As `npm run synth` sees it: a nested stack names its parent's resources by the parameters that
    // synthesis creates, so the findings are read after it.
    app.synth();
    synthesized.set(profile, { app, stack });
  }
});

afterAll(() => rmSync(webDirectory, { recursive: true, force: true }));

const describeViolations = (violations: Violations) =>
  violations.map(
    (v) => `${v.severity} ${v.ruleName}: ${v.violatingResources.map((r) => r.constructPath).join(', ')}`,
  );

/** Every acknowledgement recorded in the tree: where, which finding, why. */
function acknowledgements(
  root: IConstruct,
): Array<{ path: string; node: IConstruct; id: string; reason: string }> {
  return root.node.findAll().flatMap((node) =>
    node.node.metadata
      .filter((m) => m.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY)
      .flatMap((m) =>
        Object.entries(m.data as Record<string, string>).map(([id, reason]) => ({
          path: node.node.path,
          node,
          id: id.replace(/^annotation::/i, ''),
          reason,
        })),
      ),
  );
}

/** The pack's findings as if nothing were acknowledged (cdk-nag's acknowledgement lookup bypassed). */
function allFindings(scope: IConstruct): Violations {
  const pack = new AwsSolutionsChecks();
  (pack as unknown as { isAcknowledged: () => boolean }).isAcknowledged = () => false;
  return pack.validateScope(scope).violations;
}

describe.each(profiles)('cdk-nag AwsSolutions on the stack, profile %s', (profile) => {
  const app = () => synthesized.get(profile)!.app;
  const stack = () => synthesized.get(profile)!.stack;

  it('leaves no finding unacknowledged, error or warning', () => {
    const { violations } = new AwsSolutionsChecks().validateScope(stack());
    expect(describeViolations(violations)).toEqual([]);
  });

  it('synthesizes through the validation plugin (what `npm run synth` runs), nested stacks included', () => {
    // The acknowledgements travel with the templates, for whoever reviews a deployment.
    const { stacks } = wholeTemplate(stack());
    for (const s of stacks.slice(1)) {
      const resources = Object.values(
        s.template.Resources as Record<string, { Metadata?: { cdk_nag?: unknown } }>,
      );
      expect(resources.filter((r) => r.Metadata?.cdk_nag).length, s.stack.node.path).toBeGreaterThan(3);
    }
  });

  it('acknowledges on resources and their constructs, never on the app or a whole stack', () => {
    const acks = acknowledgements(app());
    expect(acks.length).toBeGreaterThan(0);
    for (const ack of acks) {
      expect(ack.node === app() || Stack.isStack(ack.node), `${ack.id} at ${ack.path || '(app)'}`).toBe(
        false,
      );
    }
  });

  it('gives each acknowledgement a reason of substance', () => {
    for (const ack of acknowledgements(app())) {
      expect(ack.id, ack.path).toMatch(/^AwsSolutions-[A-Z]+\d+(\[.+\])?$/);
      expect(ack.reason.length, `${ack.id} at ${ack.path}: "${ack.reason}"`).toBeGreaterThanOrEqual(60);
    }
  });

  it('acknowledges only findings that exist (no stale or speculative acknowledgement)', () => {
    const findings = allFindings(stack()).flatMap((v) =>
      v.violatingResources.map((r) => ({ id: v.ruleName, path: r.constructPath ?? '' })),
    );
    const stale = acknowledgements(app()).filter(
      (ack) =>
        !findings.some((f) => f.id === ack.id && (f.path === ack.path || f.path.startsWith(`${ack.path}/`))),
    );
    expect(stale.map((a) => `${a.id} at ${a.path}`)).toEqual([]);
  });

  it('fixes rather than acknowledges: access logs, managed policies, OAC, origin TLS', () => {
    const acknowledged = new Set(acknowledgements(app()).map((a) => a.id.replace(/\[.*$/, '')));
    for (const fixed of [
      'S1',
      'S10',
      'IAM4',
      'APIG1',
      'CFR3',
      'CFR5',
      'CFR7',
      'SQS3',
      'SQS4',
      'SF1',
      'SF2',
      'DDB3',
    ]) {
      expect(acknowledged.has(`AwsSolutions-${fixed}`), fixed).toBe(false);
    }
  });
});

describe('cdk-nag fails synthesis', () => {
  it('on an unacknowledged error (a bucket without access logs)', () => {
    const app = checkedApp();
    new s3.Bucket(new Stack(app, 'Errors'), 'Unlogged', {
      enforceSSL: true,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
    });
    expect(() => app.synth()).toThrow(/AwsSolutions-S1/);
  });

  it('on an unacknowledged warning too (a table without point-in-time recovery), not once acknowledged', () => {
    const tableWithoutPitr = (app: App) => {
      const table = new dynamodb.Table(new Stack(app, 'Warnings'), 'NoPitr', {
        partitionKey: { name: 'pk', type: dynamodb.AttributeType.STRING },
      });
      return table.node.defaultChild as CfnResource;
    };
    const unacknowledged = checkedApp();
    tableWithoutPitr(unacknowledged);
    const { violations } = new AwsSolutionsChecks().validateScope(unacknowledged);
    expect(describeViolations(violations)).toEqual([expect.stringMatching(/^warning AwsSolutions-DDB3:/)]);
    expect(() => unacknowledged.synth()).toThrow(/AwsSolutions-DDB3/);

    const acknowledged = checkedApp();
    acknowledge(tableWithoutPitr(acknowledged), 'DDB3', 'A scratch table in a test, rebuilt from nothing.');
    expect(() => acknowledged.synth()).not.toThrow();
  });
});
