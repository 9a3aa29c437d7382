/**
 * Real responses of the local runtime, checked against the OpenAPI document it serves: every route
 * is exercised, and each answer's status must be documented for its operation and its body must
 * validate against the documented schema (objects are closed, so an undocumented field fails).
 */

import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import { describe, expect, it } from 'vitest';
import { routes } from '../../functions/catalog.ts';
import { ApiClient } from '../../local/client.ts';
import { createDemands } from '../../shared/demands.ts';
import { chinaDate } from '../../shared/domain/dates.ts';
import { stableId } from '../../shared/domain/ids.ts';
import { actors, tokenFor } from '../support/actors.ts';
import { application, household as householdOf, validId } from '../support/households.ts';
import { lifecycleHelpers, household as lifecycleHousehold } from '../support/lifecycle.ts';
import { returnFile } from '../support/payroll.ts';
import { defaultActor, eventually, useRuntime } from '../support/runtime.ts';

const runtime = useRuntime();
const client = () => new ApiClient(runtime.rt.apiUrl);
const addFormats = addFormatsModule as unknown as (ajv: Ajv2020) => Ajv2020;

type Doc = {
  openapi: string;
  paths: Record<
    string,
    Record<string, { responses: Record<string, { content?: Record<string, { schema: object }> }> }>
  >;
  components: { schemas: Record<string, object> };
};

let doc: Doc | undefined;
let ajv: Ajv2020 | undefined;
const exercised = new Set<string>();

async function call(
  method: string,
  route: string,
  path: string,
  init: { body?: unknown; headers?: Record<string, string> } = {},
) {
  const actor = await defaultActor(method, path.split('?')[0]!);
  const res = await client().call(actor, method, path, init.body, init.headers);
  const { body } = res;
  const contentType = res.headers.get('content-type') ?? '';
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  if (!doc || !ajv) {
    doc = (await (await fetch(`${runtime.rt.apiUrl}/openapi.json`)).json()) as Doc;
    ajv = addFormats(new Ajv2020({ strict: false, allErrors: true }));
    ajv.addSchema({ $id: 'doc', components: doc.components });
  }
  const documented = doc.paths[route]?.[method.toLowerCase()]?.responses[String(res.status)];
  expect(
    documented,
    `${method} ${route} answered ${res.status}, not documented: ${text.slice(0, 300)}`,
  ).toBeDefined();
  const media = Object.entries(documented!.content ?? {}).find(([type]) => contentType.startsWith(type));
  expect(media, `${method} ${route} ${res.status}: content type ${contentType} not documented`).toBeDefined();
  if (media![0] === 'application/json') {
    // Refs point into #/components/schemas: resolve them within the registered document.
    const schema = JSON.parse(
      JSON.stringify(media![1].schema).replaceAll('"#/components/', '"doc#/components/'),
    );
    const validate = ajv.compile(schema);
    const ok = validate(body);
    expect(
      ok,
      `${method} ${route} ${res.status}: ${ajv.errorsText(validate.errors)} in ${text.slice(0, 500)}`,
    ).toBe(true);
  }
  exercised.add(`${method} ${route}`);
  return { status: res.status, body, headers: res.headers };
}

describe('responses match the OpenAPI document', () => {
  it('along an application, its task, decision, notice and history', async () => {
    expect((await call('GET', '/health', '/health')).status).toBe(200);
    const docResponse = await call('GET', '/openapi.json', '/openapi.json');
    expect(docResponse.body.openapi).toBe('3.1.0');
    const page = await call('GET', '/docs', '/docs');
    expect(page.body).toContain('<!doctype html>');
    const script = await call('GET', '/assets/{file}', '/assets/apply.js');
    expect(script.headers.get('content-type')).toContain('text/javascript');
    expect((await call('GET', '/assets/{file}', '/assets/nothing-here.js')).status).toBe(404);
    expect((await call('GET', '/assets/{file}', '/assets/..%2Fsecret.js')).status).toBe(400);

    const invalid = await call('POST', '/applications', '/applications', {
      body: application({ members: [{ ...application().members[0]!, idNumber: '430121198001010110' }] }),
    });
    expect(invalid.status).toBe(400);
    expect(invalid.body.error.fields).toEqual([
      { field: 'members.0.idNumber', message: '身份证号码校验位不正确（GB 11643）' },
    ]);

    const submitted = await call('POST', '/applications', '/applications', {
      body: application(),
      headers: { 'Idempotency-Key': 'openapi-test-1' },
    });
    expect(submitted.status).toBe(202);
    const { applicationId, caseId } = submitted.body;
    expect(
      (await call('GET', '/applications/{applicationId}', `/applications/${applicationId}`)).status,
    ).toBe(200);
    expect(
      (await call('GET', '/applications/{applicationId}', '/applications/app-doesnotexist')).status,
    ).toBe(404);
    expect((await call('GET', '/applications/{applicationId}', '/applications/nope')).status).toBe(400);

    const task = await eventually(async () => {
      const list = await call('GET', '/tasks', '/tasks?township=430121');
      return list.body.tasks.find((t: { applicationId: string }) => t.applicationId === applicationId);
    });
    expect((await call('GET', '/tasks', '/tasks?township=43')).status).toBe(400);
    const notified = await eventually(async () => {
      const res = await call('GET', '/notifications', '/notifications?township=430121');
      return res.body.notifications?.length ? res : undefined;
    });
    expect(notified.status).toBe(200);
    const declared = await call('POST', '/staff/me/relatives', '/staff/me/relatives', {
      body: { relatives: [{ name: '李某', idNumber: validId('110101', '19500101', 9), relation: 'parent' }] },
    });
    expect(declared.status).toBe(201);
    expect((await call('GET', '/staff/me/relatives', '/staff/me/relatives')).body.relatives).toHaveLength(1);
    expect((await call('GET', '/staff/me/work-channel', '/staff/me/work-channel')).body.channel).toBe(
      'inbox',
    );
    const chosen = await call('PUT', '/staff/me/work-channel', '/staff/me/work-channel', {
      body: { channel: 'wecom', account: 'wangwu' },
    });
    expect(chosen.body).toMatchObject({ channel: 'wecom', channelLabel: '企业微信', account: 'wangwu' });
    const unnamed = await call('PUT', '/staff/me/work-channel', '/staff/me/work-channel', {
      body: { channel: 'dingtalk' },
    });
    expect(unnamed.status).toBe(400);
    expect(unnamed.body.error.fields.map((f: { field: string }) => f.field)).toEqual(['account']);
    const committee = (body: unknown) =>
      call('POST', '/staff/committee-relatives', '/staff/committee-relatives', { body });
    const village = {
      regionCode: '430121',
      committee: '天华村村民委员会',
      member: '赵某',
      position: '委员',
      relatives: [{ name: '赵某某', idNumber: validId('110101', '19500101', 10), relation: 'child' }],
    };
    expect((await committee(village)).status).toBe(201);
    expect((await committee({ ...village, committee: '' })).status).toBe(400);
    const decided = await call('POST', '/tasks/{taskId}/decision', `/tasks/${task.taskId}/decision`, {
      body: { decision: 'approve', reasons: ['入户核实属实'], decidedBy: '李四' },
    });
    expect(decided.status).toBe(200);
    const again = await call('POST', '/tasks/{taskId}/decision', `/tasks/${task.taskId}/decision`, {
      body: { decision: 'approve', reasons: [] },
    });
    expect(again.status).toBe(409);
    const noReasons = await call('POST', '/tasks/{taskId}/decision', `/tasks/${task.taskId}/decision`, {
      body: { decision: 'reject', reasons: [] },
    });
    expect(noReasons.status).toBe(400);

    // The approved proposal is publicly noticed: anyone may object while the notice runs.
    await eventually(async () => {
      const res = await call('GET', '/applications/{applicationId}', `/applications/${applicationId}`);
      return res.body.publicNotice?.status === 'open' ? res : undefined;
    });
    const objection = await call(
      'POST',
      '/applications/{applicationId}/objection',
      `/applications/${applicationId}/objection`,
      { body: { reason: '该户有未申报的经营收入' } },
    );
    expect(objection.status).toBe(201);
    const noReason = await call(
      'POST',
      '/applications/{applicationId}/objection',
      `/applications/${applicationId}/objection`,
      { body: {} },
    );
    expect(noReason.status).toBe(400);
    const noticed = await call('GET', '/applications/{applicationId}', `/applications/${applicationId}`);
    expect(noticed.body.publicNotice.objections).toHaveLength(1);
    // No alternative tier was offered to this household.
    const consent = await call(
      'POST',
      '/applications/{applicationId}/consent',
      `/applications/${applicationId}/consent`,
      { body: { consent: true } },
    );
    expect(consent.status).toBe(409);
    const history = await call('GET', '/cases/{caseId}/history', `/cases/${caseId}/history`);
    expect(history.body.executions[0].states).toEqual([
      'Start',
      'Accept',
      'MeansTest',
      'PlanTownshipReview',
      'TownshipReview',
      'TownshipOutcome',
      'OpenPublicNotice',
      'PublicNotice',
    ]);
    expect((await call('GET', '/cases/{caseId}/history', '/cases/case-doesnotexist/history')).status).toBe(
      404,
    );
    const audit = await call('GET', '/cases/{caseId}/audit', `/cases/${caseId}/audit`);
    expect(audit.body.verification.valid).toBe(true);

    // 延长审核确认时限: once, with a reason from the rules' list.
    const extension = (body: unknown) =>
      call('POST', '/applications/{applicationId}/extension', `/applications/${applicationId}/extension`, {
        body,
      });
    expect((await extension({ reason: 'objection', note: '公示期间有异议，需重新调查' })).status).toBe(200);
    expect((await extension({ reason: 'objection', note: '再次延长' })).status).toBe(409);
    expect((await extension({ reason: 'later' })).status).toBe(400);
    const investigation = (body: unknown) =>
      call(
        'POST',
        '/applications/{applicationId}/investigation',
        `/applications/${applicationId}/investigation`,
        { body },
      );
    expect((await investigation({ startedOn: chinaDate(), method: 'homeVisit' })).status).toBe(200);
    expect((await investigation({ startedOn: chinaDate(), method: 'homeVisit' })).status).toBe(409);
    expect((await investigation({ startedOn: chinaDate(), method: 'phone' })).status).toBe(400);

    // The auditor's search finds it, with its decided township task.
    const found = await call('GET', '/cases', '/cases?regionCode=430121&status=publicNotice');
    expect(found.status).toBe(200);
    const listed = found.body.applications.find(
      (a: { applicationId: string }) => a.applicationId === applicationId,
    );
    expect(listed.tasks.map((t: { kind: string }) => t.kind)).toEqual(['townshipReview']);
    expect((await call('GET', '/cases', '/cases?regionCode=43&from=2026-13-01')).status).toBe(400);
  });

  it('for the rules and the administrators', async () => {
    const household = householdOf();
    expect(
      (await call('POST', '/means-test', '/means-test', { body: { ...household, asOf: '2026-06-01' } }))
        .status,
    ).toBe(200);
    const single = {
      ...household,
      members: [
        {
          ...household.members[0]!,
          idNumber: validId('430121', '19800101', 21),
          incomes: [{ kind: 'wage' as const, monthlyAmount: 1100 }],
        },
      ],
    };
    const alternative = await call('POST', '/means-test', '/means-test', {
      body: { ...single, asOf: '2026-06-01', requestedTier: 'dibao' },
    });
    expect(alternative.body.alternative.tier).toBe('marginal');

    // Applied for, refused for 低保 and offered 低保边缘家庭: the applicant consents.
    const applied = await call('POST', '/applications', '/applications', {
      body: application({ members: single.members }),
    });
    const task = await eventually(async () => {
      const list = await call('GET', '/tasks', '/tasks?township=430121');
      return list.body.tasks.find(
        (t: { applicationId: string }) => t.applicationId === applied.body.applicationId,
      );
    });
    await call('POST', '/tasks/{taskId}/decision', `/tasks/${task.taskId}/decision`, {
      body: {
        decision: 'approve',
        reasons: ['核查结果属实'],
        findings: {
          homeVisit: { visitedOn: '2026-11-25', visitors: ['王五', '赵六'], matchesDeclaration: true },
          verifications: [{ source: '人社', result: 'consistent' }],
        },
      },
    });
    // The means test fails the tier asked for: the county decides the proposed refusal (第四十四条).
    const countyTask = await eventually(async () => {
      const list = await call('GET', '/tasks', '/tasks?township=430121');
      return list.body.tasks.find(
        (t: { applicationId: string; kind: string }) =>
          t.applicationId === applied.body.applicationId && t.kind === 'countyDetermination',
      );
    });
    expect(countyTask.proposal.decision).toBe('approve');
    await call('POST', '/tasks/{taskId}/decision', `/tasks/${countyTask.taskId}/decision`, {
      body: { decision: 'approve' },
    });
    const offered = await eventually(async () => {
      const res = await call(
        'GET',
        '/applications/{applicationId}',
        `/applications/${applied.body.applicationId}`,
      );
      return res.body.consent ? res : undefined;
    });
    expect(offered.body.consent.status).toBe('offered');
    const given = await call(
      'POST',
      '/applications/{applicationId}/consent',
      `/applications/${applied.body.applicationId}/consent`,
      { body: { consent: true, tier: 'marginal' } },
    );
    expect(given.status).toBe(202);
    const determined = await eventually(async () => {
      const res = await call(
        'GET',
        '/applications/{applicationId}',
        `/applications/${applied.body.applicationId}`,
      );
      return res.body.status === 'approved' ? res : undefined;
    });
    expect(determined.body.tier).toBe('marginal');
    expect(
      (await call('POST', '/means-test', '/means-test', { body: { ...household, regionCode: '110101' } }))
        .status,
    ).toBe(422);
    expect(
      (await call('GET', '/calendar/deadline', '/calendar/deadline?from=2026-09-30&workingDays=3')).status,
    ).toBe(200);
    expect((await call('GET', '/calendar/deadline', '/calendar/deadline?from=x&workingDays=3')).status).toBe(
      400,
    );

    const parameters = {
      residence: 'urban',
      effectiveFrom: '2027-01-01',
      basis: '测试用参数',
      sampleData: true,
      values: { dibaoStandard: { value: 1000, clause: '测试' } },
    };
    expect(
      (await call('PUT', '/admin/parameters/{regionCode}', '/admin/parameters/430121', { body: parameters }))
        .status,
    ).toBe(201);
    expect(
      (await call('PUT', '/admin/parameters/{regionCode}', '/admin/parameters/430121', { body: parameters }))
        .status,
    ).toBe(409);
    const arrangement = {
      year: 2099,
      source: '测试',
      holidays: [{ name: '元旦', from: '2099-01-01', to: '2099-01-03' }],
      adjustedWorkdays: [],
    };
    expect(
      (await call('PUT', '/admin/calendar/{year}', '/admin/calendar/2099', { body: arrangement })).status,
    ).toBe(201);
    expect(
      (await call('PUT', '/admin/calendar/{year}', '/admin/calendar/2098', { body: arrangement })).status,
    ).toBe(400);
  });

  it('for the signed-in person and staff administration', async () => {
    const me = await call('GET', '/me', '/me');
    expect(me.status).toBe(200);
    const signIn = await call('GET', '/public/sign-in', '/public/sign-in');
    expect(signIn.body).toEqual({ dev: true, oidc: null });
    const path = '/admin/staff/test-openapi-granted';
    const grant = {
      name: '孙某',
      role: 'departmentOfficer',
      regionCodes: ['430121'],
      department: 'education',
    };
    expect((await call('PUT', '/admin/staff/{subject}', path, { body: grant })).status).toBe(201);
    expect((await call('PUT', '/admin/staff/{subject}', path, { body: grant })).status).toBe(200);
    const { department: _d, ...noDepartment } = grant;
    expect((await call('PUT', '/admin/staff/{subject}', path, { body: noDepartment })).status).toBe(400);
    expect((await call('GET', '/admin/staff', '/admin/staff?regionCode=430121')).status).toBe(200);
    expect((await call('GET', '/admin/staff', '/admin/staff?status=x')).status).toBe(400);
    expect((await call('GET', '/admin/staff/{subject}', path)).status).toBe(200);
    expect((await call('GET', '/admin/staff/{subject}', '/admin/staff/test-nobody')).status).toBe(404);
    const revoke = '/admin/staff/{subject}/revocation';
    expect((await call('POST', revoke, `${path}/revocation`, { body: { reason: '调离' } })).status).toBe(200);
    expect(
      (await call('POST', revoke, '/admin/staff/test-nobody/revocation', { body: { reason: '调离' } }))
        .status,
    ).toBe(404);
    expect((await call('POST', revoke, `${path}/revocation`, { body: {} })).status).toBe(400);
  });

  it('for emergency aid, a declared change and the payments of a case', async () => {
    const { requestedTier: _r, ...declaration } = application();
    const emergency = {
      ...declaration,
      regionCode: '430102',
      hukouRegionCode: '410122',
      hardship: { kind: 'fire', description: '家中失火，生活用品全部烧毁', occurredOn: '2026-06-01' },
      requestedAmount: 800,
    };
    expect(
      (await call('POST', '/emergency', '/emergency', { body: { ...emergency, requestedAmount: 0 } })).status,
    ).toBe(400);
    const submitted = await call('POST', '/emergency', '/emergency', {
      body: emergency,
      headers: { 'Idempotency-Key': 'openapi-emergency-1' },
    });
    expect(submitted.status).toBe(202);
    const { emergencyId, caseId } = submitted.body;
    expect((await call('GET', '/emergency/{emergencyId}', '/emergency/emerg-doesnotexist')).status).toBe(404);
    expect((await call('GET', '/emergency/{emergencyId}', '/emergency/nope')).status).toBe(400);
    const paperwork = `/emergency/${emergencyId}/paperwork`;
    expect(
      (
        await call('POST', '/emergency/{emergencyId}/paperwork', paperwork, {
          body: { decision: 'reject', reasons: [] },
        })
      ).status,
    ).toBe(400);
    // Nothing is paid before the township decides what to pay first.
    const review = await eventually(async () => {
      const list = await call('GET', '/tasks', '/tasks?township=430102');
      return list.body.tasks.find(
        (t: { applicationId: string; kind: string }) =>
          t.applicationId === emergencyId && t.kind === 'emergencyGrant',
      );
    });
    const tooMuch = await call('POST', '/tasks/{taskId}/decision', `/tasks/${review.taskId}/decision`, {
      body: { decision: 'approve', reasons: [], amount: 801 },
    });
    expect(tooMuch.status).toBe(400);
    const grant = await call('POST', '/tasks/{taskId}/decision', `/tasks/${review.taskId}/decision`, {
      body: { decision: 'approve', reasons: ['情况紧急'], amount: 800 },
    });
    expect(grant.status).toBe(200);
    // Until the workflow has opened the paperwork task, a decision answers 409.
    await eventually(async () => {
      const res = await call('POST', '/emergency/{emergencyId}/paperwork', paperwork, {
        body: { decision: 'approve', reasons: ['手续齐全'], decidedBy: '赵六' },
      });
      return res.status === 200 ? res : undefined;
    });
    expect(
      (await call('POST', '/emergency/{emergencyId}/paperwork', paperwork, { body: { decision: 'approve' } }))
        .status,
    ).toBe(409);
    await eventually(async () => {
      const res = await call('GET', '/emergency/{emergencyId}', `/emergency/${emergencyId}`);
      return res.body.status === 'completed' ? res : undefined;
    });

    // Declared where the case is: the emergency's region, not the household's hukou or application's.
    const { applicant: _a, ...household } = { ...declaration, regionCode: emergency.regionCode };
    const declared = await call('POST', '/cases/{caseId}/declaration', `/cases/${caseId}/declaration`, {
      body: household,
    });
    expect(declared.status).toBe(201);
    expect(
      (
        await call('POST', '/cases/{caseId}/declaration', '/cases/case-doesnotexist/declaration', {
          body: household,
        })
      ).status,
    ).toBe(404);
    // 追回 (第七十三条): ordered with its notice, repaid with a receipt; never more than was paid.
    const recoveries = '/cases/{caseId}/recoveries';
    const order = {
      ground: 'fraud',
      amount: 100,
      method: 'repay',
      reason: '隐瞒家庭成员存款，骗取临时救助金',
      documentNumber: '长县民追〔2026〕9号',
      decidedOn: chinaDate(),
    };
    expect(
      (await call('POST', recoveries, `/cases/${caseId}/recoveries`, { body: { ...order, amount: 1e6 } }))
        .status,
    ).toBe(400);
    expect(
      (await call('POST', recoveries, '/cases/case-doesnotexist/recoveries', { body: order })).status,
    ).toBe(404);
    const ordered = await call('POST', recoveries, `/cases/${caseId}/recoveries`, { body: order });
    expect(ordered.status).toBe(201);
    const repayments = '/cases/{caseId}/recoveries/{recoveryId}/repayments';
    const repayPath = `/cases/${caseId}/recoveries/${ordered.body.recoveryId}/repayments`;
    const repayment = { amount: 100, paidOn: chinaDate(), receipt: '长县财收 0009' };
    expect((await call('POST', repayments, repayPath, { body: { ...repayment, amount: 101 } })).status).toBe(
      400,
    );
    expect((await call('POST', repayments, repayPath, { body: repayment })).status).toBe(201);
    expect((await call('POST', repayments, repayPath, { body: repayment })).status).toBe(409);
    expect(
      (
        await call('POST', repayments, `/cases/${caseId}/recoveries/recovery-none/repayments`, {
          body: repayment,
        })
      ).status,
    ).toBe(404);
    const payments = await call('GET', '/cases/{caseId}/payments', `/cases/${caseId}/payments`);
    expect(payments.body.payments).toHaveLength(1);
    expect(payments.body.recoveries).toEqual([expect.objectContaining({ outstanding: 0 })]);
    expect((await call('GET', '/cases/{caseId}/payments', '/cases/case-doesnotexist/payments')).status).toBe(
      404,
    );

    // 公布 (第四十五条): anyone reads a region's published approvals; a bad region names the field.
    const publication = await call('GET', '/public/approvals', '/public/approvals?regionCode=430121');
    expect(publication.status).toBe(200);
    expect((await call('GET', '/public/approvals', '/public/approvals?regionCode=4301')).status).toBe(400);

    // 听取意见: nothing to answer yet is a conflict; a recheck proposing to end the assistance opens one.
    const hearingPath = (id: string) => `/cases/${id}/hearing`;
    const route = '/cases/{caseId}/hearing';
    expect((await call('POST', route, hearingPath(caseId), { body: { opinion: 'agree' } })).status).toBe(409);
    expect((await call('POST', route, hearingPath(caseId), { body: { opinion: 'object' } })).status).toBe(
      400,
    );
    // 终止特困供养的公示: none is running for this case, so an objection is a conflict.
    const endObjection = (body: unknown) =>
      call('POST', '/cases/{caseId}/end-objection', `/cases/${caseId}/end-objection`, { body });
    expect((await endObjection({ reason: '该户仍符合条件' })).status).toBe(409);
    expect((await endObjection({ reason: '' })).status).toBe(400);
    const lc = lifecycleHelpers(runtime);
    const seeded = await lc.caseAtFirstRecheck();
    await lc.declare(seeded.caseId, lifecycleHousehold([{ kind: 'pension', monthlyAmount: 6000 }]));
    await lc.startDue(seeded.caseId, 'Recheck');
    const task = await lc.task(seeded.caseId, 'recheckConfirmation');
    await lc.decide(task.taskId, { decision: 'approve', reasons: ['养老金收入超过标准'] });
    await lc.openHearing(seeded.caseId);
    const heard = await call('POST', route, hearingPath(seeded.caseId), { body: { opinion: 'agree' } });
    expect(heard.status).toBe(200);
    expect(heard.body).toMatchObject({ opinion: 'agree', channel: 'online' });
    // The household reads the hearing on its application's status page.
    const view = await call('GET', '/applications/{applicationId}', `/applications/${seeded.applicationId}`);
    expect(view.body.hearing).toMatchObject({
      status: 'answered',
      proposal: '拟停止最低生活保障',
      answer: { opinion: 'agree', channel: 'online' },
    });
    expect(
      (await call('POST', route, hearingPath(seeded.caseId), { body: { opinion: 'agree' } })).status,
    ).toBe(200);
    expect(
      (await call('POST', route, '/cases/case-doesnotexist/hearing', { body: { opinion: 'agree' } })).status,
    ).toBe(404);

    // 行政复议 of the termination (第七十六条): recorded once; the same document again answers the same.
    const termination = await eventually(async () =>
      (await lc.notices(seeded.caseId)).find((n) => n.kind === 'termination'),
    );
    const appealRoute = '/cases/{caseId}/appeals';
    const appeal = {
      noticeId: termination.noticeId,
      channel: 'reconsideration',
      outcome: 'upheld',
      decidedOn: chinaDate(),
      authority: '长沙县人民政府',
      documentNumber: '长县政复决〔2026〕12号',
    };
    const appealed = await call('POST', appealRoute, `/cases/${seeded.caseId}/appeals`, { body: appeal });
    expect(appealed.status).toBe(201);
    expect(appealed.body).toMatchObject({ outcome: 'upheld', reopened: null });
    expect(
      (await call('POST', appealRoute, `/cases/${seeded.caseId}/appeals`, { body: appeal })).status,
    ).toBe(200);
    expect(
      (
        await call('POST', appealRoute, `/cases/${seeded.caseId}/appeals`, {
          body: { ...appeal, channel: 'x' },
        })
      ).status,
    ).toBe(400);
    expect(
      (await call('POST', appealRoute, '/cases/case-doesnotexist/appeals', { body: appeal })).status,
    ).toBe(404);
  });

  it('for dynamic monitoring: the register, a run, its warning and feedback, the happiness list', async () => {
    const schemas = await call('GET', '/monitoring/feeds', '/monitoring/feeds');
    expect(schemas.body.feeds.map((f: { feed: string }) => f.feed)).toContain('medicalInsurance');
    expect(schemas.body.text).toContain('【medicalInsurance】');

    const person = validId('430121', '19700101', 81);
    const household = {
      householdId: 'HH-OPENAPI-1',
      regionCode: '430121',
      tier: 'none',
      status: 'monitoring',
      perCapitaMonthlyIncome: 300,
      members: [person],
    };
    const loaded = await call('PUT', '/admin/register', '/admin/register?regionCode=430121', {
      body: { households: [household, { ...household, householdId: 'HH-OPENAPI-2', members: ['x'] }] },
    });
    expect(loaded.body).toMatchObject({ loaded: 1, rejected: [{ index: 1, householdId: 'HH-OPENAPI-2' }] });
    expect(
      (
        await call('PUT', '/admin/register', '/admin/register?regionCode=430121', {
          body: { households: [] },
        })
      ).status,
    ).toBe(400);

    // A feed dropped into the intake bucket: a large out-of-pocket bill of a household outside assistance.
    const bucket = runtime.rt.env.INTAKE_BUCKET!;
    const client = new S3Client({ endpoint: runtime.rt.endpoints.sqs, forcePathStyle: true });
    const key = 'medicalInsurance/openapi.csv';
    const put = await client.send(
      new PutObjectCommand({
        Bucket: bucket,
        Key: key,
        Body: `recordId,idNumber,regionCode,eventDate,totalCost,reimbursed,outOfPocket\nMI-OA-1,${person},430121,${chinaDate()},50000,10000,40000\nMI-OA-2,bad\n`,
      }),
    );
    client.destroy();
    const runId = stableId('run', bucket, key, put.ETag!.replace(/"/g, ''));
    const run = await eventually(async () => {
      const res = await call('GET', '/monitoring/runs/{runId}', `/monitoring/runs/${runId}`);
      return res.status === 200 && res.body.status === 'completed' ? res : undefined;
    });
    expect(run.body.report.rejections.map((r: { line: number }) => r.line)).toEqual([3]);
    expect(
      (await call('GET', '/monitoring/runs/{runId}', `/monitoring/runs/run-${'0'.repeat(24)}`)).status,
    ).toBe(404);
    expect((await call('GET', '/monitoring/runs/{runId}', '/monitoring/runs/nope')).status).toBe(400);

    // The omission candidate goes to 民政: an officer of that department reads and answers it.
    const civilAffairs = {
      ...actors.department,
      department: 'civilAffairs' as const,
      subject: 'test-civil-affairs',
    };
    const headers = { authorization: `Bearer ${await tokenFor(runtime.rt.apiUrl, civilAffairs)}` };
    const listed = await call('GET', '/warnings', '/warnings?regionCode=430121', { headers });
    expect(listed.body.warnings).toHaveLength(1);
    const [warning] = listed.body.warnings;
    expect((await call('GET', '/warnings', '/warnings?regionCode=43&status=x')).status).toBe(400);
    expect(
      (await call('GET', '/warnings/{warningId}', `/warnings/${warning.warningId}`, { headers })).status,
    ).toBe(200);
    expect((await call('GET', '/warnings/{warningId}', `/warnings/wrn-${'0'.repeat(24)}`)).status).toBe(404);
    const feedback = `/warnings/${warning.warningId}/feedback`;
    expect(
      (await call('POST', '/warnings/{warningId}/feedback', feedback, { headers, body: { result: 'x' } }))
        .status,
    ).toBe(400);
    const answered = await call('POST', '/warnings/{warningId}/feedback', feedback, {
      headers,
      body: {
        result: 'assisted',
        measures: '纳入临时救助',
        assistance: ['temporaryAssistance'],
        amount: 1500,
      },
    });
    expect(answered.status).toBe(200);
    expect(
      (
        await call('POST', '/warnings/{warningId}/feedback', feedback, {
          headers,
          body: { result: 'notNeeded', measures: '再次反馈' },
        })
      ).status,
    ).toBe(409);

    const today = chinaDate();
    const happiness = await call(
      'GET',
      '/reports/happiness-list',
      `/reports/happiness-list?regionCode=430000&from=${today}&to=${today}`,
    );
    expect(happiness.body.warningsAnswered).toHaveLength(1);
    expect(
      (await call('GET', '/reports/happiness-list', '/reports/happiness-list?regionCode=430000&from=x&to=y'))
        .status,
    ).toBe(400);

    // 结果互认: a department looks people up by ID number; an invalid one is named by its position.
    const lookupBody = { regionCode: '430121', purpose: '资助城乡居民医保个人缴费', idNumbers: [validId()] };
    const badLookup = await call('POST', '/register/lookup', '/register/lookup', {
      body: { ...lookupBody, idNumbers: [validId(), '430121198001010000'] },
    });
    expect(badLookup.status).toBe(400);
    expect(badLookup.body.error.fields.map((f: { field: string }) => f.field)).toEqual(['idNumbers.1']);
    const looked = await call('POST', '/register/lookup', '/register/lookup', { body: lookupBody });
    expect(looked.status).toBe(200);
    expect(looked.body.results).toEqual([
      { position: 0, idNumber: expect.stringContaining('********'), inLowIncomePopulation: false },
    ]);
    const lookups = await call('GET', '/register/lookups', '/register/lookups?regionCode=430121');
    expect(lookups.body.lookups.map((l: { lookupId: string }) => l.lookupId)).toContain(looked.body.lookupId);

    // 需求推送: a demand to 医保, listed, read with the person, answered once.
    const [demand] = await createDemands(
      {
        caseId: 'case-openapi-demand',
        cause: 'determination',
        decidedAt: new Date().toISOString(),
        tier: 'dibao',
      },
      {
        started: [
          {
            item: 'medicalPremium',
            department: 'medicalInsurance',
            member: 0,
            benefit: '全额资助',
            clause: '第二十四条',
          },
        ],
        ended: [],
      },
      { regionCode: '430121', members: [{ name: '张三', idNumber: validId() }] },
    );
    const demands = await call('GET', '/demands', '/demands?regionCode=430121');
    expect(demands.body.demands.map((d: { demandId: string }) => d.demandId)).toContain(demand!.demandId);
    const one = await call('GET', '/demands/{demandId}', `/demands/${demand!.demandId}`);
    expect(one.body.person.name).toBe('张三');
    const demandFeedback = `/demands/${demand!.demandId}/feedback`;
    const badDemand = await call('POST', '/demands/{demandId}/feedback', demandFeedback, {
      body: { result: 'stopped', measures: '已停止' },
    });
    expect(badDemand.body.error.fields.map((f: { field: string }) => f.field)).toEqual(['result']);
    const done = await call('POST', '/demands/{demandId}/feedback', demandFeedback, {
      body: { result: 'granted', measures: '已资助个人缴费' },
    });
    expect(done.body.feedback.resultLabel).toBe('已落实');
    // The month's change list holds the person the demand reached, masked; the file has the number.
    const changes = await call(
      'GET',
      '/register/changes',
      `/register/changes?regionCode=430121&month=${chinaDate().slice(0, 7)}`,
    );
    expect(changes.body.counts.entered).toBeGreaterThanOrEqual(1);
    expect(
      (await call('GET', '/register/changes', '/register/changes?regionCode=430121&month=2026-13')).body.error
        .fields,
    ).toEqual([expect.objectContaining({ field: 'query.month' })]);

    // 主动发现: a household a village committee found, recorded by the township, listed and read.
    const found = await call('POST', '/discoveries', '/discoveries', {
      body: {
        regionCode: '430121',
        source: 'committee',
        reportedBy: '长桥村委会 李某',
        address: '长桥村三组',
        observed: '独居老人，无固定收入',
        urgency: 'urgent',
      },
    });
    expect(found.status).toBe(201);
    const discoveries = await call('GET', '/discoveries', '/discoveries?regionCode=430121');
    expect(discoveries.body.discoveries.map((d: { discoveryId: string }) => d.discoveryId)).toContain(
      found.body.discoveryId,
    );
    const discovery = await call(
      'GET',
      '/discoveries/{discoveryId}',
      `/discoveries/${found.body.discoveryId}`,
    );
    expect(discovery.body.detail.address).toBe('长桥村三组');

    // 举报投诉: one online (no sign-in), one from the hotline; the reporter's status, the county's file, the counts.
    const complaint = await call('POST', '/complaints', '/complaints', {
      body: {
        regionCode: '430121',
        kind: 'missedHousehold',
        content: '村里一位独居老人生活困难，一直没有纳入低保',
      },
    });
    expect(complaint.status).toBe(201);
    const hotline = await call('POST', '/complaints/recorded', '/complaints/recorded', {
      body: {
        regionCode: '430121',
        kind: 'other',
        content: '来电咨询低保申请需要哪些材料并反映办理慢',
        channel: 'hotline',
      },
    });
    expect(hotline.status).toBe(201);
    const told = await call(
      'GET',
      '/complaints/{complaintId}/status',
      `/complaints/${complaint.body.complaintId}/status?code=${complaint.body.code}`,
    );
    expect(told.body.status).toBe('open');
    const complaintFile = await call(
      'GET',
      '/complaints/{complaintId}',
      `/complaints/${complaint.body.complaintId}`,
    );
    expect(complaintFile.body.reporter).toBeNull();
    const counted = await call(
      'GET',
      '/reports/complaints',
      `/reports/complaints?regionCode=430121&from=${chinaDate()}&to=${chinaDate()}`,
    );
    expect(counted.body.total).toBeGreaterThanOrEqual(2);
  });

  it('for the payroll: a roll prepared, read and approved by a second officer', async () => {
    const month = chinaDate().slice(0, 7);
    // 收款账户: the applicant registers their own; a card failing its check digit names the field.
    const { caseId } = await lifecycleHelpers(runtime).seedApprovedCase();
    const account = {
      kind: 'bankCard',
      bankName: '中国农业银行长沙县支行',
      accountNumber: '6228 4800 1234 5678 903',
      accountName: '张三',
    };
    const payee = `/cases/${caseId}/payee-account`;
    const registered = await call('PUT', '/cases/{caseId}/payee-account', payee, { body: account });
    expect(registered.status).toBe(200);
    expect(registered.body.payeeAccount).toMatchObject({
      accountNumberMasked: '6228***********8903',
      accountNameMasked: '张*',
    });
    const mistyped = await call('PUT', '/cases/{caseId}/payee-account', payee, {
      body: { ...account, accountNumber: '6228480012345678904' },
    });
    expect(mistyped.status).toBe(400);
    expect(mistyped.body.error.fields).toEqual([expect.objectContaining({ field: 'accountNumber' })]);
    expect(JSON.stringify(mistyped.body)).not.toContain('6228480012345678904');
    expect(
      (
        await call('PUT', '/cases/{caseId}/payee-account', '/cases/case-doesnotexist/payee-account', {
          body: account,
        })
      ).status,
    ).toBe(404);
    // 短信通知: the household registers another phone; a malformed one names the field.
    const contact = `/cases/${caseId}/contact`;
    const moved = await call('PUT', '/cases/{caseId}/contact', contact, {
      body: { phone: '13800000777', notify: 'sms' },
    });
    expect(moved.body).toMatchObject({ outcome: 'changed', contact: { phoneMasked: '138****0777' } });
    expect((await call('GET', '/cases/{caseId}/contact', contact)).body.contact).toMatchObject({
      phoneMasked: '138****0777',
      notify: 'sms',
      source: 'changed',
    });
    const shortNumber = await call('PUT', '/cases/{caseId}/contact', contact, {
      body: { phone: '1380000', notify: 'sms' },
    });
    expect(shortNumber.body.error.fields).toEqual([expect.objectContaining({ field: 'phone' })]);
    expect(
      (
        await call('PUT', '/cases/{caseId}/contact', '/cases/case-doesnotexist/contact', {
          body: { phone: '13800000777', notify: 'sms' },
        })
      ).status,
    ).toBe(404);
    const shown = await call('GET', '/cases/{caseId}/payments', `/cases/${caseId}/payments`);
    expect(shown.body.payeeAccount).toMatchObject({
      bankName: '中国农业银行长沙县支行',
      accountNumberMasked: '6228***********8903',
    });

    const started = await call('POST', '/payrolls', '/payrolls', { body: { regionCode: '430121', month } });
    expect(started.status).toBe(202);
    const approver = { authorization: `Bearer ${await tokenFor(runtime.rt.apiUrl, actors.countyApprover)}` };
    // Another officer while the roll is in flight; the same officer's retry answers the same roll.
    const other = await call('POST', '/payrolls', '/payrolls', {
      headers: approver,
      body: { regionCode: '430121', month },
    });
    expect(other.status).toBe(409);
    const retried = await call('POST', '/payrolls', '/payrolls', { body: { regionCode: '430121', month } });
    expect(retried.status).toBe(202);
    expect(retried.body.rollId).toBe(started.body.rollId);
    expect(
      (await call('POST', '/payrolls', '/payrolls', { body: { regionCode: '430121', month: 'x' } })).status,
    ).toBe(400);
    const path = `/payrolls/${started.body.rollId}`;
    const prepared = await eventually(async () => {
      const res = await call('GET', '/payrolls/{rollId}', path);
      return res.body.status === 'prepared' ? res : undefined;
    });
    expect(prepared.body.totals).toEqual(expect.objectContaining({ lines: expect.any(Number) }));
    expect((await call('GET', '/payrolls/{rollId}', '/payrolls/430121-2026-12-99')).status).toBe(404);
    expect((await call('GET', '/payrolls/{rollId}', '/payrolls/nope')).status).toBe(400);
    const listed = await call('GET', '/payrolls', '/payrolls?regionCode=430121');
    expect(listed.body.rolls).toHaveLength(1);
    expect((await call('GET', '/payrolls', '/payrolls?regionCode=43')).status).toBe(400);
    const decision = '/payrolls/{rollId}/decision';
    const headers = approver;
    expect((await call('POST', decision, `${path}/decision`, { body: { decision: 'approve' } })).status).toBe(
      403,
    );
    expect(
      (await call('POST', decision, `${path}/decision`, { headers, body: { decision: 'x' } })).status,
    ).toBe(400);
    const approved = await call('POST', decision, `${path}/decision`, {
      headers,
      body: { decision: 'approve' },
    });
    expect(approved.status).toBe(202);
    expect(
      (await call('POST', decision, `${path}/decision`, { headers, body: { decision: 'approve' } })).status,
    ).toBe(200);
    expect(
      (
        await call('POST', decision, `${path}/decision`, {
          headers,
          body: { decision: 'return', reason: '重编' },
        })
      ).status,
    ).toBe(409);
    expect(
      (
        await call('POST', decision, '/payrolls/430121-2026-12-99/decision', {
          headers,
          body: { decision: 'approve' },
        })
      ).status,
    ).toBe(404);

    // The bank file: the approver's once, by a short-lived link; the bank's return reconciles the roll.
    const bankFile = '/payrolls/{rollId}/bank-file';
    const generated = await eventually(async () => {
      const res = await call('GET', '/payrolls/{rollId}', path);
      return res.body.bankFile ? res : undefined;
    });
    expect(generated.body.bankFile.lines).toBeGreaterThanOrEqual(0);
    expect((await call('POST', bankFile, `${path}/bank-file`, { body: {} })).status).toBe(403);
    expect((await call('POST', bankFile, `${path}/bank-file`, { headers, body: { x: 1 } })).status).toBe(400);
    const link = await call('POST', bankFile, `${path}/bank-file`, { headers, body: {} });
    expect(link.status).toBe(200);
    const content = (await (await fetch(link.body.url)).text()).trim().split('\n');
    expect((await call('POST', bankFile, `${path}/bank-file`, { headers, body: {} })).status).toBe(409);
    expect(
      (await call('POST', bankFile, '/payrolls/430121-2026-12-99/bank-file', { headers, body: {} })).status,
    ).toBe(404);
    const bankReturn = '/payrolls/{rollId}/bank-return';
    expect(
      (
        await call('POST', bankReturn, `${path}/bank-return`, {
          body: { content: '#ROLL,430121-2026-11-1\n#TOTAL,0,0.00' },
        })
      ).status,
    ).toBe(400);
    const reconciled = await call('POST', bankReturn, `${path}/bank-return`, {
      body: { content: returnFile(content) },
    });
    expect(reconciled.status).toBe(202);
    expect(
      (await call('POST', bankReturn, `${path}/bank-return`, { body: { content: returnFile(content) } }))
        .status,
    ).toBe(409);
    expect(
      (await call('POST', bankReturn, '/payrolls/430121-2026-12-99/bank-return', { body: { content: 'x' } }))
        .status,
    ).toBe(404);
  });

  it('every route of the catalog was exercised', () => {
    expect([...exercised].sort()).toEqual(routes.map((r) => `${r.method} ${r.path}`).sort());
  });
});
