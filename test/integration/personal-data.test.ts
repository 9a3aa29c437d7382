/**
 * Personal data at rest and in views (issue 7.2): ID numbers and health facts are stored sealed —
 * in applications, later declarations and emergency requests — with only a masked ID number in
 * clear; the applicant's and staff's views show the masked number; the rules still read them.
 * An emergency's hardship text is sealed in its request and never travels through the workflow
 * (issue 10, finding 15): the caseworker reads it from the request.
 */
import { DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, QueryCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { maskIdNumber } from '../../shared/domain/id-number.ts';
import { getArchive } from '../../shared/repositories/archive.ts';
import { listExecutions } from '../../shared/repositories/cases.ts';
import { type Actor, actors } from '../support/actors.ts';
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
    members: [
      h.members[0]!,
      {
        ...h.members[1]!,
        disabilityCategory: 'physical' as const,
        disabilityGrade: 1 as const,
        severeIllness: true,
        selfCareUnable: ['bathing' as const],
      },
    ],
  };
};

function expectSealed(members: Array<Record<string, unknown>>, declared: ReturnType<typeof household>) {
  for (const [i, m] of members.entries()) {
    const original = declared.members[i]!;
    expect(m.idNumber).toMatch(/^enc:v1:/);
    expect(m.disabilityGrade).toMatch(/^enc:v1:/);
    expect(m.severeIllness).toMatch(/^enc:v1:/);
    expect(m.disabilityCategory).toMatch(/^enc:v1:/);
    expect(m.selfCareUnable).toMatch(/^enc:v1:/);
    expect(m.idNumberMasked).toBe(maskIdNumber(original.idNumber));
    expect(JSON.stringify(m)).not.toContain(original.idNumber);
  }
}

function expectPhoneSealed(applicant: Record<string, unknown>, phone: string) {
  expect(applicant.phone).toMatch(/^enc:v1:/);
  expect(applicant.phoneMasked).toBe(`${phone.slice(0, 3)}****${phone.slice(-4)}`);
  expect(JSON.stringify(applicant)).not.toContain(phone);
}

describe('personal data', () => {
  it('is sealed in the stored application, masked in its views, and still read by the rules', async () => {
    const declared = household();
    const { applicationId, caseId } = await flow.submit(declared);
    const { Item } = await doc().send(
      new GetCommand({ TableName: table(), Key: { pk: `APP#${applicationId}`, sk: 'APP' } }),
    );
    expectSealed(Item!.declaration.members, declared);
    expectPhoneSealed(Item!.declaration.applicant, declared.applicant.phone);

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
    expectPhoneSealed(item.request.applicant, declared.applicant.phone);
  });

  it("keeps an emergency's hardship text out of the workflow and its archive, sealed in the request, shown to the caseworker", async () => {
    // Distinctive, so that finding it anywhere can only mean this request's text leaked there.
    const description = '突发脑出血住院抢救，医嘱需长期康复治疗-编号HX7Q2';
    const { requestedTier: _t, ...rest } = household();
    const res = await api('/emergency', {
      method: 'POST',
      body: JSON.stringify({
        ...rest,
        hardship: { kind: 'illness', description, occurredOn: '2026-11-20' },
        requestedAmount: 2000,
      }),
    });
    expect(res.status).toBe(202);
    const { emergencyId, caseId } = res.body;

    // The caseworker's inbox shows the hardship, read from the request, on both of its tasks.
    const { regionCode } = (await api(`/emergency/${emergencyId}`)).body;
    const taskOf = (kind: string, as: Actor = actors.township) =>
      eventually(async () => {
        const { body } = await api(`/tasks?township=${regionCode}`, undefined, as);
        return body.tasks.find(
          (t: { caseId: string; kind: string }) => t.caseId === caseId && t.kind === kind,
        );
      });
    const review = await taskOf('emergencyGrant');
    expect(review.emergency).toMatchObject({ requestedAmount: 2000, hardship: description });
    const granted = await api(`/tasks/${review.taskId}/decision`, {
      method: 'POST',
      body: JSON.stringify({ decision: 'approve', reasons: ['病情危急'], amount: 1000 }),
    });
    expect(granted.status, JSON.stringify(granted.body)).toBe(200);
    const task = await taskOf('emergencyPaperwork');
    expect(task.emergency).toMatchObject({ requestedAmount: 2000, hardship: description });

    // Closing the execution archives its history: then both the live store and the archive exist.
    const decided = await api(`/tasks/${task.taskId}/decision`, {
      method: 'POST',
      body: JSON.stringify({ decision: 'approve', reasons: ['手续齐全'] }),
    });
    expect(decided.status, JSON.stringify(decided.body)).toBe(200);
    // More was asked than was paid first: the county assesses the rest, seeing the hardship too.
    const assessment = await taskOf('emergencyAssessment', actors.county);
    expect(assessment.emergency).toMatchObject({
      requestedAmount: 2000,
      grantedAmount: 1000,
      hardship: description,
    });
    const assessed = await api(
      `/tasks/${assessment.taskId}/decision`,
      { method: 'POST', body: JSON.stringify({ decision: 'approve', reasons: ['核实属实'], amount: 500 }) },
      actors.county,
    );
    expect(assessed.status, JSON.stringify(assessed.body)).toBe(200);
    await eventually(async () => {
      const { body } = await api(`/cases/${caseId}/history`);
      return body.executions.length === 1 && body.executions[0].archived ? true : undefined;
    });
    const view = (await api(`/emergency/${emergencyId}`, undefined, actors.township)).body;
    expect(view.status).toBe('completed');
    expect(view.hardship.description).toBe(description);

    // The archive of the closed execution: its input, output and every event's details.
    const [link] = await listExecutions(caseId);
    const archived = await getArchive(caseId, link!.executionArn);
    expect(archived?.events.length).toBeGreaterThan(0);
    expect(JSON.stringify(archived)).not.toContain(description);

    // Every item of every table: the request, the task, the audit log, the engine's stored events.
    const client = new DynamoDBClient({});
    const { TableNames } = await client.send(new ListTablesCommand({}));
    let scanned = 0;
    for (const TableName of TableNames!) {
      let ExclusiveStartKey: Record<string, unknown> | undefined;
      do {
        const page = await doc().send(new ScanCommand({ TableName, ExclusiveStartKey }));
        scanned += page.Items!.length;
        expect(JSON.stringify(page.Items), TableName).not.toContain(description);
        ExclusiveStartKey = page.LastEvaluatedKey;
      } while (ExclusiveStartKey);
    }
    expect(TableNames).toContain('doudi-local-executions');
    expect(scanned).toBeGreaterThan(0);
    const { Item } = await doc().send(
      new GetCommand({ TableName: table(), Key: { pk: `EMERG#${emergencyId}`, sk: 'EMERG' } }),
    );
    expect(Item!.request.hardship).toMatchObject({
      kind: 'illness',
      description: expect.stringMatching(/^enc:v1:/),
    });
  });
});
