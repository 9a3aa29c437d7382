/**
 * The tamper-evident audit log (issue 7.4): an application's every action is appended to its case's
 * hash chain with who acted; the auditor's endpoint and `npm run audit:verify` confirm the chain,
 * and both find an entry altered afterwards — naming the entry from which it no longer holds.
 *
 * And what a chain alone cannot show (issue 10, finding 9): someone with write access to the table
 * who recomputes every hash after an altered entry, truncates the chain and its head together, or
 * edits a payment's amount. The anchors of chain heads in the archive bucket show the first two, the
 * payment digests in the chain the third.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  DeleteCommand,
  DynamoDBDocumentClient,
  PutCommand,
  QueryCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { clock } from '../../local/clock.ts';
import { type AuditEntry, appendAudit, entryHash, SYSTEM, verifyAuditLog } from '../../shared/audit.ts';
import { listAnchors } from '../../shared/repositories/audit-anchors.ts';
import { recordPayment } from '../../shared/repositories/payments.ts';
import { actors } from '../support/actors.ts';
import { applicationFlow } from '../support/application-flow.ts';
import { application } from '../support/households.ts';
import { chainActions, eventually, useRuntime } from '../support/runtime.ts';
import { runScript } from '../support/scripts.ts';

const runtime = useRuntime();
const { api } = runtime;
const flow = applicationFlow(runtime);

/** `npm run audit:verify` against this runtime's table and archive bucket. */
const auditVerify = (caseId: string) =>
  runScript('scripts/audit-verify.ts', [caseId], {
    AWS_ENDPOINT_URL_DYNAMODB: runtime.rt.endpoints.dynamodb,
    AWS_ENDPOINT_URL_S3: runtime.rt.env.AWS_ENDPOINT_URL_S3,
    CASES_TABLE: runtime.rt.env.CASES_TABLE,
    ARCHIVE_BUCKET: runtime.rt.env.ARCHIVE_BUCKET,
  });

/** Entries of an approved application's chain. */
const COMPLETE = 15;

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
  // The chain complete: the register entry after the determination, then the five demands the
  // minute's sweep pushes (需求推送: 医保 ×4 and 人社 for the household's adult out of work).
  await eventually(async () => ((await verifyAuditLog(caseId)).entries === 10 ? true : undefined));
  clock.advance(61_000);
  await eventually(async () => ((await verifyAuditLog(caseId)).entries === COMPLETE ? true : undefined));
  return { applicationId, caseId };
}

describe('the audit log', () => {
  it('records each action of an application with who acted, chained, and verifies', async () => {
    const { caseId } = await approved();
    const { status, body: log } = await api(`/cases/${caseId}/audit`, {}, actors.auditor);
    expect(status).toBe(200);
    expect(chainActions(log.entries)).toEqual([
      'application.submitted',
      'task.opened',
      'task.decided',
      'publicNotice.opened',
      'publicNotice.closed',
      'task.opened',
      'task.decided',
      'notice.issued',
      // What the tier entitles the members to beyond the money, then the register.
      'special.changed',
      'register.updated',
      ...Array(5).fill('demand.pushed'),
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
    expect(log.verification).toMatchObject({
      valid: true,
      chainValid: true,
      entries: COMPLETE,
      headHash: log.entries[COMPLETE - 1].hash,
      ledger: { holds: true, payments: 0, preCoverage: 0, mismatches: [] },
    });
    // Nothing personal in the log: none of the household's ID numbers appears in it.
    for (const member of application().members) expect(JSON.stringify(log)).not.toContain(member.idNumber);

    const script = await auditVerify(caseId);
    expect(script.status, script.stderr).toBe(0);
    expect(script.stdout).toContain(`哈希链完整 chain intact: ${COMPLETE} 条`);
  });

  it('finds an entry altered afterwards, and from which entry on the chain is broken', async () => {
    const { caseId } = await approved();
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
    const script = await auditVerify(caseId);
    expect(script.status).toBe(1);
    expect(script.stdout).toContain('自第 3 条起');

    // Removing the last entry (and leaving the head) is found too.
    const other = await approved();
    await doc.send(
      new DeleteCommand({
        TableName: table,
        Key: { pk: `CASE#${other.caseId}`, sk: `AUDIT#${String(COMPLETE).padStart(8, '0')}` },
      }),
    );
    expect(await verifyAuditLog(other.caseId)).toMatchObject({ valid: false, entries: COMPLETE - 1 });
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

/** Moves the clock past the anchoring's settling time and waits until the chain's head at `seq` is anchored. */
async function anchored(caseId: string, seq: number) {
  await eventually(async () => ((await verifyAuditLog(caseId)).entries >= seq ? true : undefined));
  clock.advance(10 * 60_000);
  await eventually(async () => ((await listAnchors(caseId)).some((a) => a.seq === seq) ? true : undefined));
}

describe('the audit log against its anchors and the ledger', () => {
  const doc = () => DynamoDBDocumentClient.from(new DynamoDBClient({}));
  const table = () => runtime.rt.env.CASES_TABLE!;
  const chainItems = async (caseId: string) =>
    (
      await doc().send(
        new QueryCommand({
          TableName: table(),
          KeyConditionExpression: 'pk = :pk AND begins_with(sk, :a)',
          ExpressionAttributeValues: { ':pk': `CASE#${caseId}`, ':a': 'AUDIT#0' },
        }),
      )
    ).Items!;

  it('a chain as written agrees with its anchor', async () => {
    const { caseId } = await approved();
    await anchored(caseId, COMPLETE);
    const result = await verifyAuditLog(caseId);
    expect(result).toMatchObject({ valid: true, chainValid: true, entries: COMPLETE });
    expect(result.anchor).toMatchObject({
      status: 'holds',
      latest: { seq: COMPLETE, hash: result.log[COMPLETE - 1]!.hash },
    });
    const { body } = await api(`/cases/${caseId}/audit`, {}, actors.auditor);
    expect(body.verification).toMatchObject({ valid: true, anchor: { status: 'holds' } });
    const script = await auditVerify(caseId);
    expect(script.status, script.stdout + script.stderr).toBe(0);
    expect(script.stdout).toContain('与链外锚定一致');
  });

  it('finds a chain recomputed after an entry was altered: the anchor no longer matches', async () => {
    const { caseId } = await approved();
    await anchored(caseId, COMPLETE);
    // Someone with table access rewrites the township's decision and recomputes every hash after it
    // with plain SHA-256 (`entryHash` is unkeyed: anyone with the source can run it), head included.
    let prevHash = '0'.repeat(64);
    for (const item of await chainItems(caseId)) {
      const entry = item as unknown as AuditEntry;
      if (entry.seq === 3) entry.summary = '乡镇（街道）审核：不同意（隐瞒收入）';
      entry.prevHash = prevHash;
      const { hash: _old, ...unhashed } = entry;
      entry.hash = entryHash(unhashed);
      prevHash = entry.hash;
      await doc().send(new PutCommand({ TableName: table(), Item: item }));
    }
    await doc().send(
      new UpdateCommand({
        TableName: table(),
        Key: { pk: `CASE#${caseId}`, sk: 'AUDIT#HEAD' },
        UpdateExpression: 'SET #h = :h',
        ExpressionAttributeNames: { '#h': 'hash' },
        ExpressionAttributeValues: { ':h': prevHash },
      }),
    );
    const result = await verifyAuditLog(caseId);
    // The chain itself holds: only the anchor shows it was rewritten.
    expect(result.chainValid).toBe(true);
    expect(result.valid).toBe(false);
    expect(result.anchor.status).toBe('rewritten');
    expect(result.anchor.reason).toContain('被改写');
    const { body } = await api(`/cases/${caseId}/audit`, {}, actors.auditor);
    expect(body.verification).toMatchObject({
      valid: false,
      chainValid: true,
      anchor: { status: 'rewritten' },
    });
    const script = await auditVerify(caseId);
    expect(script.status).toBe(1);
    expect(script.stdout).toContain('与链外锚定不符 rewritten');
  });

  it('finds a chain truncated with its head', async () => {
    const { caseId } = await approved();
    await anchored(caseId, COMPLETE);
    const [seventh] = (await chainItems(caseId)).filter((i) => i.seq === 7);
    for (let seq = 8; seq <= COMPLETE; seq++)
      await doc().send(
        new DeleteCommand({
          TableName: table(),
          Key: { pk: `CASE#${caseId}`, sk: `AUDIT#${String(seq).padStart(8, '0')}` },
        }),
      );
    await doc().send(
      new UpdateCommand({
        TableName: table(),
        Key: { pk: `CASE#${caseId}`, sk: 'AUDIT#HEAD' },
        UpdateExpression: 'SET seq = :s, #h = :h',
        ExpressionAttributeNames: { '#h': 'hash' },
        ExpressionAttributeValues: { ':s': 7, ':h': seventh!.hash },
      }),
    );
    const result = await verifyAuditLog(caseId);
    expect(result).toMatchObject({ valid: false, chainValid: true, entries: 7 });
    expect(result.anchor).toMatchObject({ status: 'truncated', latest: { seq: COMPLETE } });
    const script = await auditVerify(caseId);
    expect(script.status).toBe(1);
    expect(script.stdout).toContain('truncated');
  });

  it('finds a payment amount edited, in the payment item or in the ledger the happiness list sums', async () => {
    const { caseId } = await approved();
    const payment = {
      caseId,
      month: '2026-12',
      kind: 'regular' as const,
      amount: 550,
      tier: 'dibao',
      basis: '低保金（按月发放）',
      executionArn: 'arn:aws:states:us-east-1:000000000000:execution:doudi-application:test',
      recordedAt: new Date().toISOString(),
    };
    await recordPayment(payment);
    const clean = await verifyAuditLog(caseId);
    expect(clean).toMatchObject({ valid: true, entries: COMPLETE + 1, ledger: { holds: true, payments: 1 } });
    expect(clean.log[COMPLETE]).toMatchObject({ action: 'payment.recorded', v: 2, ledger: { amount: 550 } });

    // The payment item's amount: the chain still holds, the ledger check names the case and month.
    await doc().send(
      new UpdateCommand({
        TableName: table(),
        Key: { pk: `CASE#${caseId}`, sk: 'PAY#2026-12' },
        UpdateExpression: 'SET amount = :a',
        ExpressionAttributeValues: { ':a': 10_053_999 },
      }),
    );
    const paid = await verifyAuditLog(caseId);
    expect(paid).toMatchObject({ valid: false, chainValid: true, ledger: { holds: false } });
    expect(paid.ledger.mismatches).toEqual([
      expect.stringContaining(`2026-12 的发放记录（10,053,999.00元，案件 ${caseId}）`),
    ]);
    const script = await auditVerify(caseId);
    expect(script.status).toBe(1);
    expect(script.stdout).toContain('发放记录不符 ledger mismatch: 2026-12');

    // The ledger amount on the entry itself (what the happiness list adds up): hashed, so the chain breaks there.
    await doc().send(
      new UpdateCommand({
        TableName: table(),
        Key: { pk: `CASE#${caseId}`, sk: `AUDIT#${String(COMPLETE + 1).padStart(8, '0')}` },
        UpdateExpression: 'SET ledger.amount = :a',
        ExpressionAttributeValues: { ':a': 10_053_999 },
      }),
    );
    expect(await verifyAuditLog(caseId)).toMatchObject({
      valid: false,
      chainValid: false,
      brokenAt: COMPLETE + 1,
    });
  });
});
