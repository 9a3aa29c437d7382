/**
 * Rotating the blind-index key (docs/deploy.md §7) on the in-memory runtime, through the command an
 * operator runs (`npm run keys:rotate -- --blind-index`): what was indexed before the rotation is
 * still found by ID number — a person's open application and open emergency request still refuse a
 * second one, the register's imported household is still looked up, a relative declared before is
 * still kept away from the household's task, a submission retried under its Idempotency-Key is still
 * the same submission — and what is written after it is indexed under the new key.
 */
import { dirname } from 'node:path';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { dynamo } from '../../shared/clients.ts';
import { blindIndexes } from '../../shared/crypto.ts';
import { actors } from '../support/actors.ts';
import { applicationFlow } from '../support/application-flow.ts';
import { application, validId } from '../support/households.ts';
import { useRuntime } from '../support/runtime.ts';
import { runScript } from '../support/scripts.ts';

const runtime = useRuntime();
const { api } = runtime;
const flow = applicationFlow(runtime);
const related = { ...actors.township, subject: 'test-township-rotation', name: '李某（申请人之女）' };

// biome-ignore lint/suspicious/noExplicitAny: API answers read in tests
type Body = Record<string, any>;

const submit = (body: unknown, key?: string) =>
  api('/applications', {
    method: 'POST',
    body: JSON.stringify(body),
    ...(key ? { headers: { 'Idempotency-Key': key } } : {}),
  });
const importHousehold = (householdId: string, idNumber: string) =>
  api(
    '/admin/register?regionCode=430121',
    {
      method: 'PUT',
      body: JSON.stringify({
        households: [
          {
            householdId,
            regionCode: '430121',
            tier: 'dibao',
            status: 'active',
            perCapitaMonthlyIncome: 300,
            members: [idNumber],
          },
        ],
      }),
    },
    actors.admin,
  );
const lookUp = (idNumbers: string[]) =>
  api(
    '/register/lookup',
    {
      method: 'POST',
      body: JSON.stringify({ regionCode: '430121', purpose: '核对低收入人口身份', idNumbers }),
    },
    actors.department,
  );
const table = () => process.env.CASES_TABLE!;
const item = async (pk: string, sk: string) =>
  (await dynamo().send(new GetCommand({ TableName: table(), Key: { pk, sk }, ConsistentRead: true }))).Item;

describe('rotating the blind-index key', () => {
  it('keeps every record indexed before it found by ID number, and indexes what follows under the new key', async () => {
    // Before: an open application (with its key), an open emergency request, an imported household,
    // a declared relative.
    const open = application();
    const first = await submit(open, 'rotation-retry-1');
    expect(first.status, JSON.stringify(first.body)).toBe(202);
    const emergencyMember = validId('410122', '19750101', 961);
    const { requestedTier: _t, ...declaration } = application();
    const emergency = {
      ...declaration,
      regionCode: '430102',
      hukouRegionCode: '410122',
      members: [{ ...declaration.members[0]!, idNumber: emergencyMember }],
      hardship: { kind: 'accident', description: '务工途中遭遇交通事故', occurredOn: '2026-12-01' },
      requestedAmount: 2000,
    };
    const emergencyFirst = await api('/emergency', { method: 'POST', body: JSON.stringify(emergency) });
    expect(emergencyFirst.status, JSON.stringify(emergencyFirst.body)).toBe(202);
    const imported = validId('430121', '19600101', 962);
    expect((await importHousehold('HH-ROTATION-1', imported)).status).toBe(200);
    const later = application();
    const declared = await api(
      '/staff/me/relatives',
      {
        method: 'POST',
        body: JSON.stringify({
          relatives: [
            { name: later.members[0]!.name, idNumber: later.members[0]!.idNumber, relation: 'parent' },
          ],
        }),
      },
      related,
    );
    expect(declared.status).toBe(201);
    const [before] = await blindIndexes(imported);

    const rotated = await runScript('scripts/keys-rotate.ts', ['--blind-index'], {
      DOUDI_DATA_DIR: dirname(process.env.FIELD_KEY_FILE!),
    });
    expect(rotated.status, rotated.stderr).toBe(0);
    expect(rotated.stdout).toContain('已轮换身份证号盲索引密钥');
    const ring = await blindIndexes(imported);
    expect(ring).toHaveLength(2);
    expect(ring[1]).toBe(before);
    expect(ring[0]).not.toBe(before);

    // The retry is the same submission; another naming the same member is refused.
    const retried = await submit(open, 'rotation-retry-1');
    expect(retried.status, JSON.stringify(retried.body)).toBe(202);
    expect(retried.body.applicationId).toBe(first.body.applicationId);
    const again = await submit(application({ members: [open.members[0]!] }));
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('OpenApplicationExists');
    const emergencyAgain = await api('/emergency', { method: 'POST', body: JSON.stringify(emergency) });
    expect(emergencyAgain.status).toBe(409);
    expect(emergencyAgain.body.error.code).toBe('OpenEmergencyExists');

    // The household imported before is found; one imported after is, too, under both keys.
    const importedAfter = validId('430121', '19610101', 963);
    expect((await importHousehold('HH-ROTATION-2', importedAfter)).status).toBe(200);
    const found = await lookUp([imported, importedAfter]);
    expect(found.status, JSON.stringify(found.body)).toBe(200);
    expect(found.body.results.map((r: Body) => r.inLowIncomePopulation)).toEqual([true, true]);
    expect((await item('HH#HH-ROTATION-2', 'HH'))?.memberIndexes).toEqual(await blindIndexes(importedAfter));

    // The relative declared before the rotation is kept away from the household's task.
    const { applicationId } = await flow.submit(later);
    const task = await flow.task(applicationId, 'townshipReview');
    const inbox = async (who: typeof related) =>
      (await api('/tasks?township=430121', {}, who)).body.tasks.map((t: { taskId: string }) => t.taskId);
    expect(await inbox(related)).not.toContain(task.taskId);
    expect(await inbox(actors.township)).toContain(task.taskId);

    // What follows is claimed under the new key only.
    const [newest, earlier] = await blindIndexes(later.members[0]!.idNumber);
    expect((await item(`CLAIM#${newest}`, 'CLAIM'))?.applicationId).toBe(applicationId);
    expect(await item(`CLAIM#${earlier}`, 'CLAIM')).toBeUndefined();
  });
});
