/**
 * Who may call what (issue 7): every route of the catalog × every role × own or other jurisdiction.
 * The table below is the access policy written out by hand, independently of the handlers: a route
 * answers 401 without a token, 403 to a role outside its list, 403 to staff of a role on the list
 * whose jurisdiction does not cover the household, and otherwise gets past the checks (whatever it
 * then answers: 2xx, 400, 404, 409). An applicant who is not the household's gets, on every route
 * naming a record, exactly the answer an id that does not exist gets: nothing tells them it is someone's.
 */
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { describe, expect, it } from 'vitest';
import { routes } from '../../functions/catalog.ts';
import { type Role, roles } from '../../shared/auth.ts';
import { receiveComplaint } from '../../shared/complaints.ts';
import { createDemands } from '../../shared/demands.ts';
import { recordDiscovery } from '../../shared/discoveries.ts';
import { stableId } from '../../shared/domain/ids.ts';
import { chinaMonth } from '../../shared/domain/lifecycle.ts';
import { putRun, putWarning } from '../../shared/repositories/monitoring.ts';
import { getHousehold, putHousehold } from '../../shared/repositories/register.ts';
import { intakeBucket } from '../../shared/resources.ts';
import { type Actor, actors } from '../support/actors.ts';
import { application, validId } from '../support/households.ts';
import { eventually, useRuntime } from '../support/runtime.ts';

const runtime = useRuntime();
const { api } = runtime;

interface Policy {
  /** Roles that get past the checks. */
  allowed: readonly Role[];
  /** Staff of an allowed role serving another region are refused. */
  jurisdiction: boolean;
}

const everyone = roles;
const policy: Record<string, Policy> = {
  'POST /applications': { allowed: ['applicant', 'townshipCaseworker'], jurisdiction: true },
  'GET /applications/{applicationId}': {
    allowed: ['applicant', 'townshipCaseworker', 'countyOfficer', 'auditor'],
    jurisdiction: true,
  },
  'POST /applications/{applicationId}/objection': {
    allowed: ['applicant', 'townshipCaseworker'],
    jurisdiction: true,
  },
  'POST /applications/{applicationId}/consent': {
    allowed: ['applicant', 'townshipCaseworker'],
    jurisdiction: true,
  },
  'POST /applications/{applicationId}/extension': {
    allowed: ['townshipCaseworker', 'countyOfficer'],
    jurisdiction: true,
  },
  'POST /applications/{applicationId}/investigation': {
    allowed: ['townshipCaseworker'],
    jurisdiction: true,
  },
  'GET /tasks': { allowed: ['townshipCaseworker', 'countyOfficer'], jurisdiction: true },
  'GET /notifications': { allowed: ['townshipCaseworker', 'countyOfficer'], jurisdiction: true },
  // One's own declaration: no household's region to be outside of.
  'POST /staff/me/relatives': { allowed: ['townshipCaseworker', 'countyOfficer'], jurisdiction: false },
  'GET /staff/me/relatives': { allowed: ['townshipCaseworker', 'countyOfficer'], jurisdiction: false },
  'GET /staff/me/work-channel': { allowed: ['townshipCaseworker', 'countyOfficer'], jurisdiction: false },
  'PUT /staff/me/work-channel': { allowed: ['townshipCaseworker', 'countyOfficer'], jurisdiction: false },
  'POST /staff/committee-relatives': { allowed: ['townshipCaseworker'], jurisdiction: true },
  // A township review: the county's officers decide only the county's tasks.
  'POST /tasks/{taskId}/decision': { allowed: ['townshipCaseworker'], jurisdiction: true },
  'GET /cases/{caseId}/history': {
    allowed: ['townshipCaseworker', 'countyOfficer', 'auditor'],
    jurisdiction: true,
  },
  // The auditor's search: a region's applications and their deadlines, read-only.
  'GET /cases': { allowed: ['countyOfficer', 'auditor'], jurisdiction: true },
  'GET /cases/{caseId}/audit': { allowed: ['countyOfficer', 'auditor'], jurisdiction: true },
  'POST /means-test': { allowed: everyone, jurisdiction: false },
  'GET /calendar/deadline': { allowed: everyone, jurisdiction: false },
  'PUT /admin/parameters/{regionCode}': { allowed: ['admin'], jurisdiction: true },
  // The State Council's arrangement is national: an administrator of a region is refused.
  'PUT /admin/calendar/{year}': { allowed: ['admin'], jurisdiction: true },
  'GET /me': { allowed: everyone, jurisdiction: false },
  'GET /admin/staff': { allowed: ['admin', 'auditor'], jurisdiction: true },
  'GET /admin/staff/{subject}': { allowed: ['admin', 'auditor'], jurisdiction: true },
  // Granting a region outside one's own is refused, as is changing someone serving there.
  'PUT /admin/staff/{subject}': { allowed: ['admin'], jurisdiction: true },
  'POST /admin/staff/{subject}/revocation': { allowed: ['admin'], jurisdiction: true },
  'POST /emergency': { allowed: ['applicant', 'townshipCaseworker'], jurisdiction: true },
  'GET /emergency/{emergencyId}': {
    allowed: ['applicant', 'townshipCaseworker', 'countyOfficer', 'auditor'],
    jurisdiction: true,
  },
  // The township's part, as through POST /tasks/{taskId}/decision: the county may not do it.
  'POST /emergency/{emergencyId}/paperwork': { allowed: ['townshipCaseworker'], jurisdiction: true },
  'POST /cases/{caseId}/hearing': { allowed: ['applicant', 'townshipCaseworker'], jurisdiction: true },
  'POST /cases/{caseId}/end-objection': { allowed: ['applicant', 'townshipCaseworker'], jurisdiction: true },
  'POST /cases/{caseId}/appeals': { allowed: ['countyOfficer'], jurisdiction: true },
  'POST /cases/{caseId}/declaration': {
    allowed: ['applicant', 'townshipCaseworker'],
    jurisdiction: true,
  },
  'GET /cases/{caseId}/payments': {
    allowed: ['applicant', 'townshipCaseworker', 'countyOfficer', 'auditor'],
    jurisdiction: true,
  },
  'PUT /cases/{caseId}/payee-account': { allowed: ['applicant', 'townshipCaseworker'], jurisdiction: true },
  'GET /cases/{caseId}/contact': { allowed: ['applicant', 'townshipCaseworker'], jurisdiction: true },
  'PUT /cases/{caseId}/contact': { allowed: ['applicant', 'townshipCaseworker'], jurisdiction: true },
  'POST /cases/{caseId}/recoveries': { allowed: ['countyOfficer'], jurisdiction: true },
  'POST /cases/{caseId}/recoveries/{recoveryId}/repayments': {
    allowed: ['countyOfficer'],
    jurisdiction: true,
  },
  // Warnings: the department they were pushed to, and civil affairs staff over the region.
  'GET /warnings': { allowed: ['departmentOfficer', 'countyOfficer', 'auditor'], jurisdiction: true },
  'GET /warnings/{warningId}': {
    allowed: ['departmentOfficer', 'countyOfficer', 'auditor'],
    jurisdiction: true,
  },
  'POST /warnings/{warningId}/feedback': { allowed: ['departmentOfficer'], jurisdiction: true },
  // 举报投诉: staff record what the hotline, a letter or a visit brought; the county reads the file; auditors count.
  'POST /complaints/recorded': { allowed: ['townshipCaseworker', 'countyOfficer'], jurisdiction: true },
  'GET /complaints/{complaintId}': { allowed: ['countyOfficer'], jurisdiction: true },
  'GET /reports/complaints': { allowed: ['auditor'], jurisdiction: true },
  // 主动发现: the township and the county record and read; auditors follow.
  'POST /discoveries': { allowed: ['townshipCaseworker', 'countyOfficer'], jurisdiction: true },
  'GET /discoveries': { allowed: ['townshipCaseworker', 'countyOfficer', 'auditor'], jurisdiction: true },
  'GET /discoveries/{discoveryId}': {
    allowed: ['townshipCaseworker', 'countyOfficer', 'auditor'],
    jurisdiction: true,
  },
  // 需求推送: the department that delivers the item, and civil affairs staff over the region.
  'GET /demands': { allowed: ['departmentOfficer', 'countyOfficer', 'auditor'], jurisdiction: true },
  'GET /demands/{demandId}': {
    allowed: ['departmentOfficer', 'countyOfficer', 'auditor'],
    jurisdiction: true,
  },
  'POST /demands/{demandId}/feedback': { allowed: ['departmentOfficer'], jurisdiction: true },
  // 结果互认: a department looks up its region's people; the auditors read who looked up whom.
  'POST /register/lookup': { allowed: ['departmentOfficer'], jurisdiction: true },
  'GET /register/lookups': { allowed: ['auditor'], jurisdiction: true },
  'GET /register/changes': { allowed: ['departmentOfficer'], jurisdiction: true },
  'GET /monitoring/runs/{runId}': { allowed: ['countyOfficer', 'auditor', 'admin'], jurisdiction: true },
  'GET /reports/happiness-list': { allowed: ['countyOfficer', 'auditor', 'admin'], jurisdiction: true },
  'PUT /admin/register': { allowed: ['admin'], jurisdiction: true },
  // The county's payroll: its officers prepare and approve, auditors read.
  'POST /payrolls': { allowed: ['countyOfficer'], jurisdiction: true },
  'GET /payrolls': { allowed: ['countyOfficer', 'auditor'], jurisdiction: true },
  'GET /payrolls/{rollId}': { allowed: ['countyOfficer', 'auditor'], jurisdiction: true },
  'POST /payrolls/{rollId}/decision': { allowed: ['countyOfficer'], jurisdiction: true },
  'POST /payrolls/{rollId}/bank-file': { allowed: ['countyOfficer'], jurisdiction: true },
  'POST /payrolls/{rollId}/bank-return': { allowed: ['countyOfficer'], jurisdiction: true },
};

/** Each role as signed in serving the household's region, and serving elsewhere (东城区, Beijing). */
const own: Record<Role, Actor> = {
  applicant: actors.applicant,
  townshipCaseworker: actors.township,
  countyOfficer: actors.county,
  departmentOfficer: actors.department,
  auditor: actors.auditor,
  admin: actors.admin,
};
const elsewhere: Partial<Record<Role, Actor>> = {
  townshipCaseworker: actors.townshipElsewhere,
  countyOfficer: actors.countyElsewhere,
  auditor: actors.auditorElsewhere,
  admin: actors.adminElsewhere,
  departmentOfficer: { ...actors.department, regionCodes: ['110101'], subject: 'test-department-bj' },
};

const emergencyRequest = () => {
  const { requestedTier: _t, ...household } = application();
  return {
    ...household,
    hardship: { kind: 'accident', description: '交通事故致重伤，急需医疗费用', occurredOn: '2026-11-20' },
    requestedAmount: 3000,
  };
};

/** A completed monitoring run over 长沙县 and one warning it pushed to 医保, written as the run writes them. */
async function seedMonitoring(): Promise<{ runId: string; warningId: string }> {
  const runId = `run-${'a'.repeat(24)}`;
  const warningId = `wrn-${'b'.repeat(24)}`;
  const at = new Date().toISOString();
  await putRun({
    runId,
    bucket: 'doudi-monitoring-intake',
    key: 'medicalInsurance/access.csv',
    etag: 'access',
    feed: 'medicalInsurance',
    format: 'csv',
    status: 'completed',
    executionArn: `arn:aws:states:us-east-1:000000000000:execution:doudi-monitoring:${runId}`,
    startedAt: at,
    asOf: '2026-11-30',
    regionCodes: ['430121'],
  });
  await putWarning({
    warningId,
    riskType: 'illness',
    cause: null,
    ruleId: 'illnessOutOfPocket',
    department: 'medicalInsurance',
    homeCheck: false,
    scope: 'inside',
    householdId: 'HH-ACCESS',
    caseId: null,
    chainId: 'household-HH-ACCESS',
    regionCode: '430121',
    source: 'medicalInsurance',
    recordId: 'MI-ACCESS',
    eventDate: '2026-11-01',
    subject: '430121********0117',
    message: '因病预警（测试）',
    clause: '测试',
    indicatorVersion: 'test',
    sampleData: true,
    asOf: '2026-11-30',
    status: 'pushed',
    runId,
    raisedAt: at,
    dueDate: '2026-12-14',
    feedbackWorkingDays: 10,
    feedbackClause: '测试',
    escalations: [],
  });
  return { runId, warningId };
}

describe('access', () => {
  it('every non-public route is in the policy table, and every entry is a route', () => {
    const guarded = routes.filter((r) => !r.public).map((r) => `${r.method} ${r.path}`);
    expect(Object.keys(policy).sort()).toEqual(guarded.sort());
  });

  it('each route × role × own/other jurisdiction answers as the policy says', async () => {
    // One household of 长沙县 (430121), submitted online by `actors.applicant`, and its case.
    const submitted = await api('/applications', {
      method: 'POST',
      body: JSON.stringify(application()),
    });
    expect(submitted.status).toBe(202);
    const { applicationId, caseId } = submitted.body;
    const task = await eventually(async () =>
      (await api('/tasks?township=430121')).body.tasks?.find(
        (t: { applicationId: string }) => t.applicationId === applicationId,
      ),
    );
    const emergency = await api('/emergency', { method: 'POST', body: JSON.stringify(emergencyRequest()) });
    expect(emergency.status).toBe(202);
    const { emergencyId } = emergency.body;
    const { requestedTier: _t, applicant: _a, ...declaration } = application();
    // A monitoring run over 长沙县 and the warning it pushed to 医保 (actors.department's department).
    const { runId, warningId } = await seedMonitoring();
    // A demand of the case to 医保 (需求推送), written as a determination writes it.
    const [demand] = await createDemands(
      { caseId, cause: 'determination', decidedAt: new Date().toISOString(), tier: 'dibao' },
      {
        started: [
          {
            item: 'medicalPremium',
            department: 'medicalInsurance',
            member: 0,
            benefit: '全额资助',
            clause: '测试',
          },
        ],
        ended: [],
      },
      { regionCode: '430121', members: [{ name: '张三', idNumber: validId() }] },
    );
    const demandId = demand!.demandId;
    // A household of 长沙县 found by its village committee (主动发现), as the township records it.
    const discovery = {
      regionCode: '430121',
      source: 'committee',
      reportedBy: '长桥村委会 李某',
      address: '长桥村三组',
      observed: '独居老人，行动不便，无固定收入',
      urgency: 'normal',
    } as const;
    const { discovery: found } = await recordDiscovery(discovery, {
      subject: 'test',
      name: '王五',
      role: 'townshipCaseworker',
    });
    const discoveryId = found.discoveryId;
    // A complaint about 长沙县, made online.
    const { complaint } = await receiveComplaint(
      {
        regionCode: '430121',
        kind: 'ineligiblePaid',
        content: '某户家中有两套商品房仍享受低保',
        channel: 'online',
      },
      undefined,
    );
    const complaintId = complaint.complaintId;
    // A roll of 长沙县 another county officer prepared, awaiting approval.
    const prepared = await api(
      '/payrolls',
      { method: 'POST', body: JSON.stringify({ regionCode: '430121', month: chinaMonth(new Date()) }) },
      actors.countyApprover,
    );
    expect(prepared.status, JSON.stringify(prepared.body)).toBe(202);
    const { rollId } = prepared.body;
    await eventually(async () => (await api(`/payrolls/${rollId}`)).body.status === 'prepared' || undefined);
    // A caseworker of 长沙县 whose grant an administrator of elsewhere may not revoke.
    const revocable = await api(
      '/admin/staff/test-access-revocable',
      {
        method: 'PUT',
        body: JSON.stringify({ name: '孙某', role: 'townshipCaseworker', regionCodes: ['430121'] }),
      },
      actors.admin,
    );
    expect(revocable.status).toBe(201);

    /** A request each route accepts from whoever may make it; side effects come last (see below). */
    const requests: Record<string, { path: string; body?: unknown }> = {
      'POST /applications': { path: '/applications', body: application() },
      'GET /applications/{applicationId}': { path: `/applications/${applicationId}` },
      'POST /applications/{applicationId}/objection': {
        path: `/applications/${applicationId}/objection`,
        body: { reason: '据了解其家庭有经营收入未申报' },
      },
      'POST /applications/{applicationId}/consent': {
        path: `/applications/${applicationId}/consent`,
        body: { consent: true },
      },
      'GET /tasks': { path: '/tasks?township=430121' },
      'GET /notifications': { path: '/notifications?township=430121' },
      'POST /staff/me/relatives': {
        path: '/staff/me/relatives',
        body: {
          relatives: [{ name: '李某', idNumber: validId('110101', '19500101', 7), relation: 'parent' }],
        },
      },
      'GET /staff/me/relatives': { path: '/staff/me/relatives' },
      'GET /staff/me/work-channel': { path: '/staff/me/work-channel' },
      'PUT /staff/me/work-channel': {
        path: '/staff/me/work-channel',
        body: { channel: 'dingtalk', account: 'zhangsan01' },
      },
      'POST /staff/committee-relatives': {
        path: '/staff/committee-relatives',
        body: {
          regionCode: '430121',
          committee: '天华村村民委员会',
          member: '赵某',
          relatives: [{ name: '赵某某', idNumber: validId('110101', '19500101', 8), relation: 'child' }],
        },
      },
      'POST /tasks/{taskId}/decision': {
        path: `/tasks/${task.taskId}/decision`,
        body: { decision: 'approve', reasons: ['入户核实属实'] },
      },
      'GET /cases/{caseId}/history': { path: `/cases/${caseId}/history` },
      'GET /cases/{caseId}/audit': { path: `/cases/${caseId}/audit` },
      'GET /cases': { path: '/cases?regionCode=430121&status=underReview' },
      'POST /means-test': { path: '/means-test', body: declaration },
      'GET /calendar/deadline': { path: '/calendar/deadline?from=2026-09-28&workingDays=3' },
      // Invalid bodies: the checks come first, then the body is refused (400) and nothing is loaded.
      'PUT /admin/parameters/{regionCode}': { path: '/admin/parameters/430121', body: { residence: 'x' } },
      'PUT /admin/calendar/{year}': { path: '/admin/calendar/2031', body: { holidays: 'x' } },
      'GET /me': { path: '/me' },
      'GET /admin/staff': { path: '/admin/staff?regionCode=430121' },
      'GET /admin/staff/{subject}': { path: `/admin/staff/${actors.township.subject}` },
      'PUT /admin/staff/{subject}': {
        path: '/admin/staff/test-access-granted',
        body: { name: '钱某', role: 'townshipCaseworker', regionCodes: ['430121'] },
      },
      'POST /admin/staff/{subject}/revocation': {
        path: '/admin/staff/test-access-revocable/revocation',
        body: { reason: '调离本县' },
      },
      'POST /emergency': { path: '/emergency', body: emergencyRequest() },
      'GET /emergency/{emergencyId}': { path: `/emergency/${emergencyId}` },
      'POST /emergency/{emergencyId}/paperwork': {
        path: `/emergency/${emergencyId}/paperwork`,
        body: { decision: 'approve', reasons: ['手续齐全'] },
      },
      'POST /cases/{caseId}/declaration': { path: `/cases/${caseId}/declaration`, body: declaration },
      'POST /cases/{caseId}/hearing': { path: `/cases/${caseId}/hearing`, body: { opinion: 'agree' } },
      'POST /cases/{caseId}/end-objection': {
        path: `/cases/${caseId}/end-objection`,
        body: { reason: '该户老人仍无劳动能力' },
      },
      // A notice the case does not have: the jurisdiction is checked first, then 400, nothing written.
      'POST /cases/{caseId}/appeals': {
        path: `/cases/${caseId}/appeals`,
        body: {
          noticeId: 'notice-none',
          channel: 'reconsideration',
          outcome: 'upheld',
          decidedOn: '2026-12-01',
          authority: '长沙县人民政府',
          documentNumber: '长县复〔2026〕1号',
        },
      },
      'POST /applications/{applicationId}/extension': {
        path: `/applications/${applicationId}/extension`,
        body: { reason: 'householdSeparated', note: '户籍在长沙县，常住广州' },
      },
      'POST /applications/{applicationId}/investigation': {
        path: `/applications/${applicationId}/investigation`,
        body: { startedOn: '2026-12-02', method: 'homeVisit' },
      },
      'GET /cases/{caseId}/payments': { path: `/cases/${caseId}/payments` },
      // Nothing was paid on the case: past the checks, 400 naming the amount; nothing recorded.
      'POST /cases/{caseId}/recoveries': {
        path: `/cases/${caseId}/recoveries`,
        body: {
          ground: 'overpayment',
          amount: 100,
          method: 'deduct',
          reason: '务工收入未及时告知',
          documentNumber: '长县民追〔2026〕1号',
          decidedOn: '2026-12-01',
        },
      },
      'POST /cases/{caseId}/recoveries/{recoveryId}/repayments': {
        path: `/cases/${caseId}/recoveries/recovery-none/repayments`,
        body: { amount: 10, paidOn: '2026-12-01', receipt: 'R-1' },
      },
      'GET /cases/{caseId}/contact': { path: `/cases/${caseId}/contact` },
      'PUT /cases/{caseId}/contact': {
        path: `/cases/${caseId}/contact`,
        body: { phone: '13900000001', notify: 'sms' },
      },
      'PUT /cases/{caseId}/payee-account': {
        path: `/cases/${caseId}/payee-account`,
        body: {
          kind: 'bankCard',
          bankName: '中国农业银行长沙县支行',
          accountNumber: '6222020200112233446',
          accountName: '张三',
        },
      },
      'GET /warnings': { path: '/warnings?regionCode=430121' },
      'GET /warnings/{warningId}': { path: `/warnings/${warningId}` },
      'POST /warnings/{warningId}/feedback': {
        path: `/warnings/${warningId}/feedback`,
        body: { result: 'notNeeded', measures: '经核实已享受医疗救助，无需另行救助' },
      },
      'POST /complaints/recorded': {
        path: '/complaints/recorded',
        body: {
          regionCode: '430121',
          kind: 'other',
          content: '来电反映低保审核进度较慢，希望尽快办理',
          channel: 'hotline',
        },
      },
      'GET /complaints/{complaintId}': { path: `/complaints/${complaintId}` },
      'GET /reports/complaints': {
        path: '/reports/complaints?regionCode=430121&from=2026-12-01&to=2026-12-31',
      },
      'POST /discoveries': { path: '/discoveries', body: discovery },
      'GET /discoveries': { path: '/discoveries?regionCode=430121' },
      'GET /discoveries/{discoveryId}': { path: `/discoveries/${discoveryId}` },
      'GET /demands': { path: '/demands?regionCode=430121' },
      'GET /demands/{demandId}': { path: `/demands/${demandId}` },
      'POST /demands/{demandId}/feedback': {
        path: `/demands/${demandId}/feedback`,
        body: { result: 'granted', measures: '已资助城乡居民医保个人缴费' },
      },
      'POST /register/lookup': {
        path: '/register/lookup',
        body: { regionCode: '430121', purpose: '资助城乡居民医保个人缴费', idNumbers: [validId()] },
      },
      'GET /register/lookups': { path: '/register/lookups?regionCode=430121' },
      'GET /register/changes': { path: '/register/changes?regionCode=430121&month=2026-12' },
      'GET /monitoring/runs/{runId}': { path: `/monitoring/runs/${runId}` },
      'GET /reports/happiness-list': {
        path: '/reports/happiness-list?regionCode=430121&from=2026-11-01&to=2026-11-30',
      },
      // A month too far ahead: the jurisdiction is checked first, then 400, nothing started.
      'POST /payrolls': { path: '/payrolls', body: { regionCode: '430121', month: '2099-01' } },
      'GET /payrolls': { path: '/payrolls?regionCode=430121' },
      'GET /payrolls/{rollId}': { path: `/payrolls/${rollId}` },
      'POST /payrolls/{rollId}/decision': {
        path: `/payrolls/${rollId}/decision`,
        body: { decision: 'return', reason: '核对后重新编制' },
      },
      // Not the approving officer / not approved: past the checks, 403 or 409; nothing recorded.
      'POST /payrolls/{rollId}/bank-file': { path: `/payrolls/${rollId}/bank-file` },
      'POST /payrolls/{rollId}/bank-return': {
        path: `/payrolls/${rollId}/bank-return`,
        body: { content: `#ROLL,${rollId}\n#TOTAL,0,0.00\n` },
      },
      'PUT /admin/register': {
        path: '/admin/register?regionCode=430121',
        body: {
          households: [
            {
              householdId: 'HH-ACCESS-1',
              regionCode: '430121',
              tier: 'none',
              status: 'monitoring',
              perCapitaMonthlyIncome: 300,
              members: [validId('430121', '19700101', 91)],
            },
          ],
        },
      },
    };
    // The same records' ids, of no record at all.
    const missing: Record<string, string> = {
      [applicationId]: 'app-0doesnotexist0',
      [caseId]: 'case-0doesnotexist0',
      [emergencyId]: 'emerg-0doesnotexist0',
    };
    const call = async (key: string, as: Actor | 'anonymous', ids: 'real' | 'missing' = 'real') => {
      const [method] = key.split(' ');
      const { path, body } = requests[key]!;
      const target =
        ids === 'real' ? path : Object.entries(missing).reduce((p, [id, none]) => p.replace(id, none), path);
      return api(
        target,
        { method: method!, ...(body === undefined ? {} : { body: JSON.stringify(body) }) },
        as,
      );
    };
    /** An answer with the id it was asked about blanked, so that two ids' answers compare. */
    const blanked = (answer: { status: number; body: unknown }) =>
      Object.entries(missing).reduce(
        (text, [id, none]) => text.replaceAll(id, '<id>').replaceAll(none, '<id>'),
        JSON.stringify(answer),
      );

    const failures: string[] = [];
    const expectStatus = (key: string, who: string, status: number, expected: 'refused' | number) => {
      const ok = expected === 'refused' ? status === 403 : status === expected;
      if (!ok)
        failures.push(`${key} as ${who}: ${status}, expected ${expected === 'refused' ? 403 : expected}`);
    };
    const passes = (key: string, who: string, status: number) => {
      if (status === 401 || status === 403 || status >= 500)
        failures.push(`${key} as ${who}: ${status}, expected to pass the checks`);
    };

    // Refusals first: none of them may change anything the allowed calls then rely on.
    for (const [key, rule] of Object.entries(policy)) {
      expectStatus(key, 'anonymous', (await call(key, 'anonymous')).status, 401);
      for (const role of roles) {
        if (!rule.allowed.includes(role)) {
          expectStatus(key, role, (await call(key, own[role])).status, 'refused');
          continue;
        }
        const away = elsewhere[role];
        if (rule.jurisdiction && away)
          expectStatus(key, `${role} elsewhere`, (await call(key, away)).status, 'refused');
        if (role === 'applicant' && key.includes('{')) {
          const theirs = await call(key, actors.otherApplicant);
          const none = await call(key, actors.otherApplicant, 'missing');
          expectStatus(key, 'another applicant', theirs.status, 404);
          if (blanked(theirs) !== blanked(none))
            failures.push(
              `${key} as another applicant: ${blanked(theirs)}, but for no record ${blanked(none)}`,
            );
        }
      }
    }
    // Then each allowed role in its own jurisdiction; a decision is taken once, by the last caller.
    for (const [key, rule] of Object.entries(policy)) {
      for (const role of rule.allowed) passes(key, role, (await call(key, own[role])).status);
    }
    expect(failures).toEqual([]);
  });

  it('every route that decides a task lets through only the deciders of the task’s kind, every role tried', async () => {
    // Who decides each kind, by hand: the township reviews, decides what an emergency is paid first,
    // and does its paperwork.
    const decidersByHand: Record<string, readonly Role[]> = {
      townshipReview: ['townshipCaseworker'],
      emergencyGrant: ['townshipCaseworker'],
      emergencyPaperwork: ['townshipCaseworker'],
    };
    const submitted = await api('/applications', { method: 'POST', body: JSON.stringify(application()) });
    expect(submitted.status).toBe(202);
    const review = await eventually(async () =>
      (await api('/tasks?township=430121')).body.tasks?.find(
        (t: { applicationId: string }) => t.applicationId === submitted.body.applicationId,
      ),
    );
    const emergency = await api('/emergency', { method: 'POST', body: JSON.stringify(emergencyRequest()) });
    expect(emergency.status).toBe(202);
    const { emergencyId } = emergency.body;
    const grantTask = await eventually(async () =>
      (await api('/tasks?township=430121')).body.tasks?.find(
        (t: { applicationId: string; kind: string }) =>
          t.applicationId === emergencyId && t.kind === 'emergencyGrant',
      ),
    );
    // Paid first by the township's decision: only then is there paperwork to do.
    const granted = await api(
      `/tasks/${grantTask.taskId}/decision`,
      { method: 'POST', body: JSON.stringify({ decision: 'approve', reasons: ['情况紧急'], amount: 500 }) },
      own.townshipCaseworker,
    );
    expect(granted.status, JSON.stringify(granted.body)).toBe(200);
    // The emergency names its paperwork task a step before the task is opened: wait for the inbox,
    // or a decision tried in between would answer 404 for a task that is not there yet.
    const paperworkTask = await eventually(async () => {
      const taskId = (await api(`/emergency/${emergencyId}`)).body.paperwork?.taskId as string | undefined;
      const inbox = (await api('/tasks?township=430121')).body.tasks as Array<{ taskId: string }> | undefined;
      return taskId && inbox?.some((t) => t.taskId === taskId) ? taskId : undefined;
    });

    const approve = { decision: 'approve', reasons: ['核实属实'] };
    const cases = [
      {
        route: 'POST /tasks/{taskId}/decision',
        kind: 'townshipReview',
        path: `/tasks/${review.taskId}/decision`,
      },
      {
        route: 'POST /tasks/{taskId}/decision',
        kind: 'emergencyGrant',
        path: `/tasks/${grantTask.taskId}/decision`,
      },
      {
        route: 'POST /tasks/{taskId}/decision',
        kind: 'emergencyPaperwork',
        path: `/tasks/${paperworkTask}/decision`,
      },
      {
        route: 'POST /emergency/{emergencyId}/paperwork',
        kind: 'emergencyPaperwork',
        path: `/emergency/${emergencyId}/paperwork`,
      },
    ];
    // Every route whose function decides a task is tried here; a new one must join the list.
    const decidingRoutes = routes
      .filter((r) => r.function.startsWith('decide'))
      .map((r) => `${r.method} ${r.path}`);
    expect([...new Set(cases.map((c) => c.route))].sort()).toEqual(decidingRoutes.sort());

    const failures: string[] = [];
    const post = (path: string, as: Actor) =>
      api(path, { method: 'POST', body: JSON.stringify(approve) }, as);
    for (const { route, kind, path } of cases) {
      for (const role of roles) {
        const { status } = await post(path, own[role]);
        const allowed = decidersByHand[kind]!.includes(role);
        if (!allowed && status !== 403)
          failures.push(`${route} (${kind}) as ${role}: ${status}, expected 403`);
        if (allowed && (status === 401 || status === 403 || status >= 500))
          failures.push(`${route} (${kind}) as ${role}: ${status}, expected to pass the checks`);
        const away = elsewhere[role];
        if (allowed && away) {
          const far = await post(path, away);
          if (far.status !== 403)
            failures.push(`${route} (${kind}) as ${role} elsewhere: ${far.status}, expected 403`);
        }
      }
    }
    expect(failures).toEqual([]);
  });

  it('a register write is checked against the stored household too: another region’s is not overwritten, moved or re-pointed', async () => {
    /** An administrator of 长沙县 only: the pen test's county administrator. */
    const changshaAdmin: Actor = {
      role: 'admin',
      regionCodes: ['430121'],
      subject: 'test-admin-changsha',
      name: '长沙县管理员',
    };
    const load = (households: unknown[], as: Actor, regionCode = '430121') =>
      api(
        `/admin/register?regionCode=${regionCode}`,
        { method: 'PUT', body: JSON.stringify({ households }) },
        as,
      );
    const row = (householdId: string, regionCode: string, extra: Record<string, unknown> = {}) => ({
      householdId,
      regionCode,
      tier: 'none',
      status: 'monitoring',
      perCapitaMonthlyIncome: 300,
      members: [validId(regionCode, '19700101', 93)],
      ...extra,
    });
    // A Henan household of the national register, loaded by a national administrator.
    const henan = await load([row('HH-HENAN-1', '410102')], actors.admin, '410000');
    expect(henan.body).toMatchObject({ loaded: 1, rejected: [] });
    const stored = await getHousehold('HH-HENAN-1');
    // A case of 长沙县 on the register as the system keeps it, and a household of the national register
    // that an earlier load had linked to its case number.
    await putHousehold({
      householdId: 'case-accessregister1',
      caseId: 'case-accessregister1',
      regionCode: '430121',
      tier: 'dibao',
      status: 'active',
      memberCount: 1,
      perCapitaMonthlyIncome: 200,
      assistance: ['dibaoAllowance'],
      memberIndexes: ['index-of-a-case-member'],
      source: 'case',
      updatedAt: new Date().toISOString(),
    });
    await putHousehold({
      ...stored!,
      householdId: 'HH-LINKED-1',
      caseId: 'C000000001',
      regionCode: '430121',
      source: 'import',
    });

    // The attack: each row names 长沙县 as its new region, which alone was checked before.
    const attack = await load(
      [
        row('HH-HENAN-1', '430121', { members: [validId('430121', '19900101', 95)] }),
        row('HH-HENAN-1', '430121', { caseId: 'case-accessregister1' }),
        row('case-accessregister1', '430121'),
        row('HH-NEW-1', '430121', { caseId: 'case-accessregister1' }),
        row('HH-LINKED-1', '430121', { caseId: 'C000000002' }),
        row('HH-LINKED-1', '430121'),
        row('HH-FINE-1', '430121'),
      ],
      changshaAdmin,
    );
    expect(attack.status).toBe(200);
    expect(attack.body.loaded).toBe(1);
    const reasons = attack.body.rejected.map((r: { index: number; reason: string }) => [r.index, r.reason]);
    expect(reasons.map(([i]: [number]) => i)).toEqual([0, 1, 2, 3, 4, 5]);
    const says = (i: number, ...parts: string[]) => {
      for (const part of parts) expect(reasons[i][1]).toContain(part);
    };
    says(0, '字段 householdId（户编号）', 'HH-HENAN-1', '410102');
    says(1, '字段 householdId（户编号）', '410102');
    says(2, '字段 householdId（户编号）', '本系统案件');
    says(3, '字段 caseId（案件编号）', 'HH-NEW-1', '不能指定');
    says(4, '字段 caseId（案件编号）', 'C000000001');
    says(5, '字段 caseId（案件编号）', 'C000000001');

    // Nothing refused was written: the Henan household, the case's and the linked one are as they were.
    expect(await getHousehold('HH-HENAN-1')).toEqual(stored);
    expect(await getHousehold('case-accessregister1')).toMatchObject({
      caseId: 'case-accessregister1',
      source: 'case',
      tier: 'dibao',
    });
    expect(await getHousehold('HH-NEW-1')).toBeUndefined();
    expect(await getHousehold('HH-LINKED-1')).toMatchObject({ caseId: 'C000000001', regionCode: '430121' });
    expect(await getHousehold('HH-FINE-1')).toMatchObject({ caseId: null, source: 'import' });
    // The same link named again is no change, and the row loads.
    expect(
      (
        await load(
          [row('HH-LINKED-1', '430121', { caseId: 'C000000001', tier: 'dibao', status: 'active' })],
          changshaAdmin,
        )
      ).body,
    ).toMatchObject({ loaded: 1, rejected: [] });
    expect(await getHousehold('HH-LINKED-1')).toMatchObject({ caseId: 'C000000001', tier: 'dibao' });
  });

  it('a monitoring run is for the staff over the regions its rows name, rejected rows too; one naming none is national staff’s only', async () => {
    const client = new S3Client({ endpoint: runtime.rt.endpoints.sqs, forcePathStyle: true });
    const bucket = runtime.rt.env[intakeBucket.env]!;
    const drop = async (key: string, body: string) => {
      const put = await client.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: body }));
      return stableId('run', bucket, key, put.ETag!.replace(/"/g, ''));
    };
    const header = 'recordId,idNumber,regionCode,eventDate,totalCost,reimbursed,outOfPocket';
    // Every row rejected (a bad check digit, an amount that is not one), each naming 长沙县; then rows
    // whose region code is no code at all.
    const changsha = await drop(
      'medicalInsurance/access-rejected.csv',
      `${header}\nMI-R1,430121198001010110,430121,2026-11-01,100,50,50\nMI-R2,${validId('430121', '19800101', 97)},430121,2026-11-02,x,50,50\n`,
    );
    const nowhere = await drop(
      'medicalInsurance/access-noregion.csv',
      `${header}\nMI-N1,430121198001010110,长沙,2026-11-01,100,50,50\nMI-N2,bad\n`,
    );
    client.destroy();
    const completed = (runId: string) =>
      eventually(async () => {
        const res = await api(`/monitoring/runs/${runId}`, {}, actors.admin);
        return res.body?.status === 'completed' ? res.body : undefined;
      });

    const all = await completed(changsha);
    expect(all.report.counts).toMatchObject({ rows: 0, rejected: 2 });
    expect(all.regionCodes).toEqual(['430121']);
    expect((await api(`/monitoring/runs/${changsha}`, {}, actors.auditor)).status).toBe(200);
    expect((await api(`/monitoring/runs/${changsha}`, {}, actors.county)).status).toBe(200);
    for (const away of [actors.auditorElsewhere, actors.countyElsewhere, actors.adminElsewhere]) {
      const res = await api(`/monitoring/runs/${changsha}`, {}, away);
      expect(res.status).toBe(403);
      expect(res.body.error.message).toContain('430121');
    }

    const none = await completed(nowhere);
    expect(none.report.counts).toMatchObject({ rows: 0, rejected: 2 });
    expect(none.regionCodes).toEqual([]);
    for (const staff of [actors.auditor, actors.county, actors.auditorElsewhere]) {
      const res = await api(`/monitoring/runs/${nowhere}`, {}, staff);
      expect(res.status).toBe(403);
      expect(res.body.error.message).toContain('000000');
    }
    expect(
      (
        await api(
          `/monitoring/runs/${nowhere}`,
          {},
          { ...actors.auditor, subject: 'test-auditor-national', regionCodes: ['000000'] },
        )
      ).status,
    ).toBe(200);

    // A run still under way has no region list yet: the same.
    const runId = `run-${'c'.repeat(24)}`;
    await putRun({
      runId,
      bucket,
      key: 'medicalInsurance/access-running.csv',
      etag: 'running',
      feed: 'medicalInsurance',
      format: 'csv',
      status: 'comparing',
      executionArn: `arn:aws:states:us-east-1:000000000000:execution:doudi-monitoring:${runId}`,
      startedAt: new Date().toISOString(),
      asOf: '2026-11-30',
    });
    expect((await api(`/monitoring/runs/${runId}`, {}, actors.auditor)).status).toBe(403);
    expect((await api(`/monitoring/runs/${runId}`, {}, actors.admin)).status).toBe(200);
  });

  it('the local clock and dev sign-in: the clock is the administrators’, sign-in names its bad fields', async () => {
    const advance = { method: 'POST', body: JSON.stringify({ minutes: 1 }) };
    expect((await api('/admin/clock/advance', advance, 'anonymous')).status).toBe(401);
    expect((await api('/admin/clock/advance', advance, actors.township)).status).toBe(403);
    expect((await api('/admin/clock/advance', advance, actors.admin)).status).toBe(200);

    const login = (body: unknown) =>
      api('/auth/dev-login', { method: 'POST', body: JSON.stringify(body) }, 'anonymous');
    const noRegions = await login({ role: 'countyOfficer' });
    expect(noRegions.status).toBe(400);
    expect(noRegions.body.error.fields.map((f: { field: string }) => f.field)).toEqual(['regionCodes']);
    const badRole = await login({ role: 'mayor', regionCodes: ['430121'] });
    expect(badRole.status).toBe(400);
    expect(badRole.body.error.fields[0].field).toBe('role');

    // A forged token — signed with another key — is refused like none at all.
    const genuine = await login({ role: 'auditor', regionCodes: ['430121'] });
    expect(genuine.status).toBe(200);
    const [header, payload] = String(genuine.body.token).split('.');
    const forged = `${header}.${payload}.${'A'.repeat(43)}`;
    const res = await fetch(`${runtime.rt.apiUrl}/tasks?township=430121`, {
      headers: { authorization: `Bearer ${forged}` },
    });
    expect(res.status).toBe(401);
  });
});
