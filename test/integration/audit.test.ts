/**
 * The tamper-evident audit log (issue 7.4): an application's every action is appended to its case's
 * hash chain with who acted; the auditor's endpoint and `npm run audit:verify` confirm the chain,
 * and both find an entry altered afterwards — naming the entry from which it no longer holds.
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DeleteCommand, DynamoDBDocumentClient, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { appendAudit, SYSTEM, verifyAuditLog } from '../../shared/audit.ts';
import { actors } from '../support/actors.ts';
import { applicationFlow } from '../support/application-flow.ts';
import { application } from '../support/households.ts';
import { eventually, useRuntime } from '../support/runtime.ts';

const runtime = useRuntime();
const { api } = runtime;
const flow = applicationFlow(runtime);
const ROOT = join(import.meta.dirname, '..', '..');

const auditVerify = (caseId: string) =>
  spawnSync(join(ROOT, 'node_modules', '.bin', 'tsx'), ['scripts/audit-verify.ts', caseId], {
    cwd: ROOT,
    encoding: 'utf8',
    env: {
      ...process.env,
      AWS_ENDPOINT_URL_DYNAMODB: runtime.rt.endpoints.dynamodb,
      CASES_TABLE: runtime.rt.env.CASES_TABLE,
    },
  });

async function approved() {
  const { applicationId, caseId } = await flow.submit(application());
  const township = await flow.task(applicationId, 'townshipReview');
  expect(
    (await flow.decide(township.taskId, { decision: 'approve', reasons: ['入户核实属实'] })).status,
  ).toBe(200);
  await flow.passPublicNotice(applicationId);
  const county = await flow.task(applicationId, 'countyDetermination');
  expect((await flow.decide(county.taskId, { decision: 'approve' })).status).toBe(200);
  await flow.applicationWhen(applicationId, (app) => app.status === 'approved');
  return { applicationId, caseId };
}

describe('the audit log', () => {
  it('records each action of an application with who acted, chained, and verifies', async () => {
    const { caseId } = await approved();
    const log = await eventually(async () => {
      const { status, body } = await api(`/cases/${caseId}/audit`, {}, actors.auditor);
      expect(status).toBe(200);
      // The approval's last entry: the household put on the low-income register (monitoring).
      return body.entries.some((e: { action: string }) => e.action === 'register.updated') ? body : undefined;
    });
    expect(log.entries.map((e: { action: string }) => e.action)).toEqual([
      'application.submitted',
      'task.opened',
      'task.decided',
      'publicNotice.opened',
      'publicNotice.closed',
      'task.opened',
      'task.decided',
      'notice.issued',
      'register.updated',
    ]);
    const by = (action: string) =>
      log.entries
        .filter((e: { action: string }) => e.action === action)
        .map((e: { actor: unknown }) => e.actor);
    expect(by('application.submitted')).toEqual([{ name: '张三', role: 'applicant' }]);
    expect(by('task.decided')).toEqual([
      { name: actors.township.name, role: 'townshipCaseworker' },
      { name: actors.county.name, role: 'countyOfficer' },
    ]);
    expect(by('notice.issued')).toEqual([{ name: '系统', role: 'system' }]);
    expect(by('register.updated')).toEqual([{ name: '系统', role: 'system' }]);
    for (const [i, e] of log.entries.entries()) {
      expect(e.seq).toBe(i + 1);
      if (i > 0) expect(e.prevHash).toBe(log.entries[i - 1].hash);
    }
    expect(log.verification).toEqual({ valid: true, entries: 9, headHash: log.entries[8].hash });
    // Nothing personal in the log: none of the household's ID numbers appears in it.
    for (const member of application().members) expect(JSON.stringify(log)).not.toContain(member.idNumber);

    const script = auditVerify(caseId);
    expect(script.status, script.stderr).toBe(0);
    expect(script.stdout).toContain('审计日志完整 intact: 9 条');
  });

  it('finds an entry altered afterwards, and from which entry on the chain is broken', async () => {
    const { caseId } = await approved();
    await eventually(async () => ((await verifyAuditLog(caseId)).entries === 9 ? true : undefined));
    const doc = DynamoDBDocumentClient.from(new DynamoDBClient({}));
    const table = runtime.rt.env.CASES_TABLE!;
    // Someone with table access rewrites the township's decision.
    await doc.send(
      new UpdateCommand({
        TableName: table,
        Key: { pk: `CASE#${caseId}`, sk: 'AUDIT#00000003' },
        UpdateExpression: 'SET summary = :s',
        ExpressionAttributeValues: { ':s': '乡镇（街道）审核：不同意（隐瞒收入）' },
      }),
    );
    const { body } = await api(`/cases/${caseId}/audit`, {}, actors.auditor);
    expect(body.verification).toMatchObject({ valid: false, brokenAt: 3 });
    expect(body.verification.reason).toContain('被改动');
    const script = auditVerify(caseId);
    expect(script.status).toBe(1);
    expect(script.stdout).toContain('自第 3 条起');

    // Removing the last entry (and leaving the head) is found too.
    const other = await approved();
    await eventually(async () => ((await verifyAuditLog(other.caseId)).entries === 9 ? true : undefined));
    await doc.send(
      new DeleteCommand({ TableName: table, Key: { pk: `CASE#${other.caseId}`, sk: 'AUDIT#00000009' } }),
    );
    expect(await verifyAuditLog(other.caseId)).toMatchObject({ valid: false, entries: 8 });
  });

  it('appends concurrent actions one after another, and the same action once', async () => {
    const caseId = 'case-concurrentaudit';
    await Promise.all(
      Array.from({ length: 12 }, (_, i) =>
        appendAudit(caseId, { key: `k${i}`, actor: SYSTEM, action: 'task.opened', summary: `任务${i}` }),
      ),
    );
    const again = await appendAudit(caseId, {
      key: 'k3',
      actor: SYSTEM,
      action: 'task.opened',
      summary: '任务3',
    });
    expect(again).toBeUndefined();
    const result = await verifyAuditLog(caseId);
    expect(result).toMatchObject({ valid: true, entries: 12 });
    expect(new Set(result.log.map((e) => e.summary)).size).toBe(12);
  });

  it('is for auditors and county officers of the case’s region only', async () => {
    const { caseId } = await flow.submit(application());
    expect((await api(`/cases/${caseId}/audit`, {}, actors.applicant)).status).toBe(403);
    expect((await api(`/cases/${caseId}/audit`, {}, actors.auditorElsewhere)).status).toBe(403);
    expect((await api(`/cases/${caseId}/audit`, {}, actors.county)).status).toBe(200);
  });
});
