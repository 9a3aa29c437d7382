/**
 * Personal data at rest and in views (issue 7.2): ID numbers and health facts are stored sealed —
 * in applications, later declarations and emergency requests — with only a masked ID number in
 * clear; the applicant's and staff's views show the masked number; the rules still read them.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { maskIdNumber } from '../../shared/domain/id-number.ts';
import { applicationFlow } from '../support/application-flow.ts';
import { application } from '../support/households.ts';
import { eventually, useRuntime } from '../support/runtime.ts';

const runtime = useRuntime();
const { api } = runtime;
const flow = applicationFlow(runtime);
const doc = () => DynamoDBDocumentClient.from(new DynamoDBClient({}));
const table = () => runtime.rt.env.CASES_TABLE!;

/** A household whose child is severely disabled (grade 1) and ill: health facts to protect. */
const household = () => {
  const h = application();
  return {
    ...h,
    members: [h.members[0]!, { ...h.members[1]!, disabilityGrade: 1 as const, severeIllness: true }],
  };
};

function expectSealed(members: Array<Record<string, unknown>>, declared: ReturnType<typeof household>) {
  for (const [i, m] of members.entries()) {
    const original = declared.members[i]!;
    expect(m.idNumber).toMatch(/^enc:v1:/);
    expect(m.disabilityGrade).toMatch(/^enc:v1:/);
    expect(m.severeIllness).toMatch(/^enc:v1:/);
    expect(m.idNumberMasked).toBe(maskIdNumber(original.idNumber));
    expect(JSON.stringify(m)).not.toContain(original.idNumber);
  }
}

describe('personal data', () => {
  it('is sealed in the stored application, masked in its views, and still read by the rules', async () => {
    const declared = household();
    const { applicationId, caseId } = await flow.submit(declared);
    const { Item } = await doc().send(
      new GetCommand({ TableName: table(), Key: { pk: `APP#${applicationId}`, sk: 'APP' } }),
    );
    expectSealed(Item!.declaration.members, declared);

    // The means test opened them: the severely disabled child counts as such.
    const task = await flow.task(applicationId, 'townshipReview');
    expect(task.meansTest.tier).toBe('dibao');
    const view = await flow.application(applicationId);
    expect(view.members.map((m: { idNumber: string }) => m.idNumber)).toEqual(
      declared.members.map((m) => maskIdNumber(m.idNumber)),
    );
    expect(JSON.stringify(view)).not.toContain(declared.members[0]!.idNumber);

    // A later declaration of the household is sealed too.
    const { requestedTier: _t, applicant: _a, ...declaration } = declared;
    const declared2 = await api(`/cases/${caseId}/declaration`, {
      method: 'POST',
      body: JSON.stringify(declaration),
    });
    expect(declared2.status).toBe(201);
    const { Items } = await doc().send(
      new QueryCommand({
        TableName: table(),
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :d)',
        ExpressionAttributeValues: { ':pk': `CASE#${caseId}`, ':d': 'DECL#' },
      }),
    );
    expectSealed(Items![0]!.declaration.members, declared);
  });

  it('is sealed in an emergency request', async () => {
    const declared = household();
    const { requestedTier: _t, ...rest } = declared;
    const res = await api('/emergency', {
      method: 'POST',
      body: JSON.stringify({
        ...rest,
        hardship: { kind: 'illness', description: '突发重病住院，急需医疗费用', occurredOn: '2026-11-20' },
        requestedAmount: 2000,
      }),
    });
    expect(res.status).toBe(202);
    const item = await eventually(async () => {
      const { Item } = await doc().send(
        new GetCommand({ TableName: table(), Key: { pk: `EMERG#${res.body.emergencyId}`, sk: 'EMERG' } }),
      );
      return Item;
    });
    expectSealed(item.request.members, declared);
  });
});
