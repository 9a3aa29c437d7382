/**
 * A member's death triggers a recheck within 3 months (docs/architecture.md §7), on the in-memory runtime: the
 * health department's feed reports a death of a member of a determined 低保 household, monitoring
 * raises its `death` warning, and the case's pending 定期核查 — due a year after the determination —
 * is brought forward to 3 months after the date of death: replaced, never doubled, recorded on the
 * case's chain, started by the sweeper on the new day. The same feed again, or a second record of the
 * same death, moves nothing. A case without a pending recheck gets one; a death reported after the 3
 * months are over is rechecked at once.
 */
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { describe, expect, it } from 'vitest';
import { scheduleFirstRecheck } from '../../functions/steps/recheck.ts';
import { addDays, chinaDate } from '../../shared/domain/dates.ts';
import { stableId } from '../../shared/domain/ids.ts';
import { addMonths, startOfChinaDay } from '../../shared/domain/lifecycle.ts';
import { warningId } from '../../shared/monitoring/compare/index.ts';
import { updateCase } from '../../shared/repositories/lifecycle.ts';
import { registerCase } from '../../shared/repositories/register.ts';
import { intakeBucket } from '../../shared/resources.ts';
import { actors } from '../support/actors.ts';
import { application } from '../support/households.ts';
import { lifecycleHelpers } from '../support/lifecycle.ts';
import { chainActions, eventually, useRuntime } from '../support/runtime.ts';

const runtime = useRuntime();
const { api } = runtime;
const lc = lifecycleHelpers(runtime);
// biome-ignore lint/suspicious/noExplicitAny: response bodies are whatever the API answered; the assertions check them.
type Body = any;

/** Drops a feed into the intake bucket; answers the run id the bucket watcher starts it under. */
async function drop(key: string, body: string): Promise<string> {
  const client = new S3Client({ endpoint: runtime.rt.endpoints.sqs, forcePathStyle: true });
  const bucket = runtime.rt.env[intakeBucket.env]!;
  const put = await client.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: body }));
  client.destroy();
  return stableId('run', bucket, key, put.ETag!.replace(/"/g, ''));
}

const completedRun = (runId: string): Promise<Body> =>
  eventually(async () => {
    const res = await api(`/monitoring/runs/${runId}`);
    return res.status === 200 && res.body.status === 'completed' ? res.body : undefined;
  });

/** The health department's feed: one death per record, as JSON Lines. */
const deaths = (...records: Array<{ recordId: string; idNumber: string; eventDate: string }>) =>
  records.map((r) => JSON.stringify({ ...r, regionCode: '430121', eventType: 'death' })).join('\n');

/**
 * A 低保 case determined today (长沙县, urban), on the low-income register as the application workflow
 * leaves it; with its first recheck scheduled a year on unless `recheck` is false.
 */
async function determinedCase(recheck = true) {
  const declaration = application();
  const seeded = await lc.seedApprovedCase(declaration);
  const due = addMonths(lc.today(), 12);
  if (recheck) {
    await scheduleFirstRecheck({
      caseId: seeded.caseId,
      tier: seeded.tier,
      determinedAt: seeded.decidedAt,
      regionCode: '430121',
      residence: 'urban',
      due,
    });
    await updateCase(seeded.caseId, { nextRecheckDue: due });
  }
  await registerCase(seeded.caseId, 'determination', `test-${seeded.caseId}`);
  return { ...seeded, due, members: declaration.members.map((m) => m.idNumber) };
}

const recheckSchedules = async (caseId: string) =>
  (await lc.schedules(caseId)).filter((s) => s.workflow === 'Recheck');
const pendingRechecks = async (caseId: string) =>
  (await recheckSchedules(caseId)).filter((s) => s.status === 'pending');

async function chain(caseId: string): Promise<Body[]> {
  const { status, body } = await api(`/cases/${caseId}/audit`, {}, actors.auditor);
  expect(status).toBe(200);
  expect(body.verification.valid).toBe(true);
  return body.entries;
}
const advanced = async (caseId: string) =>
  (await chain(caseId)).filter((e: Body) => e.action === 'recheck.advanced');

describe('a member’s death', () => {
  it('brings the pending recheck forward to within 3 months of the death, once', async () => {
    const c = await determinedCase();
    const before = await pendingRechecks(c.caseId);
    expect(before.map((s) => s.dueAt)).toEqual([startOfChinaDay(c.due)]);

    const today = lc.today();
    const died = addDays(today, -10);
    const due = addMonths(died, 3);
    expect(due < c.due).toBe(true);
    const feed = deaths({ recordId: 'HD-1', idNumber: c.members[1]!, eventDate: died });
    const run = await completedRun(await drop('health/2026-死亡登记.jsonl', feed));
    expect(run.report).toMatchObject({ warnings: 1, newWarnings: 1, byRiskType: { death: 1 } });
    const warning = warningId('health', 'HD-1', 'death', c.caseId);

    // One pending recheck, due 3 months after the death; the one a year on is gone.
    const pending = await pendingRechecks(c.caseId);
    expect(pending).toHaveLength(1);
    expect(pending[0]).toMatchObject({
      caseId: c.caseId,
      workflow: 'Recheck',
      dueAt: startOfChinaDay(due),
      status: 'pending',
      input: { mode: 'regular' },
      movedFrom: startOfChinaDay(c.due),
      cause: warning,
    });
    expect((await recheckSchedules(c.caseId)).map((s) => s.dueAt)).toEqual([startOfChinaDay(due)]);
    expect(await lc.caseItem(c.caseId)).toMatchObject({ nextRecheckDue: due });

    // On the case's chain, after the warning that caused it.
    const entries = await chain(c.caseId);
    const actions = entries.map((e: Body) => e.action);
    expect(actions.filter((a: string) => a === 'recheck.advanced')).toHaveLength(1);
    expect(actions.indexOf('warning.raised')).toBeLessThan(actions.indexOf('recheck.advanced'));
    const entry = entries.find((e: Body) => e.action === 'recheck.advanced');
    expect(entry).toMatchObject({
      actor: { role: 'system' },
      actionLabel: '家庭成员死亡，定期核查提前',
      summary: `家庭成员死亡（卫生健康部门登记于 ${died}）：定期核查由 ${c.due} 提前至 ${due}（死亡后3个月内核查）`,
      refs: { warningId: warning, recordId: 'HD-1', due, from: c.due },
    });
    for (const id of c.members) expect(entry.summary).not.toContain(id);

    // The same feed again, and a second record of the same death: nothing moves, nothing is recorded twice.
    const schedulesBefore = await lc.schedules(c.caseId);
    const again = await completedRun(await drop('health/2026-死亡登记（重报）.jsonl', feed));
    expect(again.report).toMatchObject({ warnings: 1, newWarnings: 0 });
    const second = await completedRun(
      await drop(
        'health/2026-死亡登记（补录）.jsonl',
        deaths({ recordId: 'HD-2', idNumber: c.members[1]!, eventDate: died }),
      ),
    );
    expect(second.report).toMatchObject({ warnings: 1, newWarnings: 1 });
    expect(await lc.schedules(c.caseId)).toEqual(schedulesBefore);
    expect(await advanced(c.caseId)).toHaveLength(1);
    // HD-2's warning: raised and pushed.
    expect(chainActions(await chain(c.caseId)).length).toBe(chainActions(entries).length + 2);

    // The sweeper starts it on the new day, and the recheck schedules the next one from there.
    const started = await lc.startDue(c.caseId, 'Recheck');
    expect(started.dueAt).toBe(startOfChinaDay(due));
    const history = await lc.closed(c.caseId, 'Recheck');
    expect(history.executions.filter((e: Body) => e.workflow === 'Recheck')).toHaveLength(1);
    const next = await eventually(async () => {
      const p = await pendingRechecks(c.caseId);
      return p.length ? p : undefined;
    });
    expect(next).toHaveLength(1);
    expect(next[0].dueAt > startOfChinaDay(due)).toBe(true);
    expect((await recheckSchedules(c.caseId)).map((s) => [s.dueAt, s.status])).toEqual([
      [startOfChinaDay(due), 'started'],
      [next[0].dueAt, 'pending'],
    ]);
  });

  it('schedules a recheck for a case that has none pending', async () => {
    const c = await determinedCase(false);
    expect(await recheckSchedules(c.caseId)).toEqual([]);
    const died = addDays(lc.today(), -3);
    const due = addMonths(died, 3);
    const feed = deaths({ recordId: 'HD-10', idNumber: c.members[0]!, eventDate: died });
    await completedRun(await drop('health/2026-无核查.jsonl', feed));

    const pending = await pendingRechecks(c.caseId);
    expect(pending.map((s) => [s.dueAt, s.input, s.movedFrom])).toEqual([
      [startOfChinaDay(due), { mode: 'regular' }, undefined],
    ]);
    expect((await advanced(c.caseId)).map((e: Body) => e.summary)).toEqual([
      `家庭成员死亡（卫生健康部门登记于 ${died}）：安排定期核查于 ${due}（死亡后3个月内核查）`,
    ]);
    expect(await lc.caseItem(c.caseId)).toMatchObject({ nextRecheckDue: due });

    await completedRun(await drop('health/2026-无核查（重报）.jsonl', feed));
    expect(await pendingRechecks(c.caseId)).toEqual(pending);
    expect(await advanced(c.caseId)).toHaveLength(1);
  });

  it('reported after the 3 months: the recheck is due at once', async () => {
    const c = await determinedCase();
    const today = lc.today();
    const died = addDays(today, -120);
    const deadline = addMonths(died, 3);
    expect(deadline < today).toBe(true);
    await completedRun(
      await drop(
        'health/2026-迟报.jsonl',
        deaths({ recordId: 'HD-20', idNumber: c.members[0]!, eventDate: died }),
      ),
    );
    expect((await advanced(c.caseId)).map((e: Body) => e.summary)).toEqual([
      `家庭成员死亡（卫生健康部门登记于 ${died}）：定期核查由 ${c.due} 提前至 ${today}（死亡后3个月内核查，期限 ${deadline} 已过，即日核查）`,
    ]);
    const schedules = await recheckSchedules(c.caseId);
    expect(schedules.map((s) => s.dueAt)).toEqual([startOfChinaDay(today)]);
    // Due today: the sweeper's next tick (a minute on) starts it.
    lc.advanceTo(new Date().toISOString());
    const started = await eventually(async () => {
      const [x] = await recheckSchedules(c.caseId);
      return x?.status === 'started' ? x : undefined;
    });
    expect(chinaDate(new Date(started.dueAt))).toBe(today);
    await lc.closed(c.caseId, 'Recheck');
  });
});
