/**
 * Staff records (`/admin/staff`): a role, regions and a department come from what an administrator
 * granted, within the administrator's own regions, each change on the chain `staff-<subject>`; a
 * token says who someone is and nothing more — a role claim in it changes nothing.
 */
import { describe, expect, it } from 'vitest';
import type { Caller } from '../../local/client.ts';
import { type Actor, actors } from '../support/actors.ts';
import { useRuntime } from '../support/runtime.ts';
import { runScript } from '../support/scripts.ts';

const runtime = useRuntime();
const { api } = runtime;

const hunanAdmin: Actor = {
  role: 'admin',
  regionCodes: ['430000'],
  subject: 'test-admin-hunan',
  name: '湖南管理员',
};
const put = (subject: string, body: unknown, as: Caller = hunanAdmin) =>
  api(`/admin/staff/${subject}`, { method: 'PUT', body: JSON.stringify(body) }, as);
const revoke = (subject: string, reason: string, as: Caller = hunanAdmin) =>
  api(`/admin/staff/${subject}/revocation`, { method: 'POST', body: JSON.stringify({ reason }) }, as);

/** A token of the runtime's issuer for `subject`, as an OIDC provider issues one: whatever claims it is given. */
async function tokenOf(subject: string, claims: Record<string, string> = {}): Promise<Caller> {
  const { token } = await runtime.rt.identity.sign(subject, { name: '令牌上的姓名', ...claims });
  return { bearer: token };
}

/** `npm run staff:bootstrap` against this runtime's DynamoDB Local. */
const bootstrap = (...args: string[]) =>
  runScript('scripts/staff-bootstrap.ts', args, {
    AWS_ENDPOINT_URL_DYNAMODB: runtime.rt.endpoints.dynamodb,
    CASES_TABLE: runtime.rt.env.CASES_TABLE,
  });

describe('staff records', () => {
  // First: no administrator exists yet in this runtime.
  it('the first administrator is bootstrapped once; after that administrators grant through the API', async () => {
    const bad = await bootstrap('--subject', 'oidc-first', '--region', '43');
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain('--name');
    expect(bad.stderr).toContain('--region');

    const first = await bootstrap('--subject', 'oidc-first', '--name', '省厅管理员', '--region', '430000');
    expect(first.status, first.stderr).toBe(0);
    expect(first.stdout).toContain('已授予 省厅管理员');
    const admin = await tokenOf('oidc-first');
    expect((await api('/me', {}, admin)).body).toMatchObject({ role: 'admin', regionCodes: ['430000'] });
    const granted = await put(
      'oidc-by-first',
      { name: '县管理员', role: 'admin', regionCodes: ['430121'] },
      admin,
    );
    expect(granted.status).toBe(201);
    const history = (await api('/admin/staff/oidc-first', {}, admin)).body.history;
    expect(history).toMatchObject([
      { action: 'staff.granted', actor: { subject: 'bootstrap', role: 'system' } },
    ]);

    const again = await bootstrap('--subject', 'oidc-second', '--name', '另一人', '--region', '000000');
    expect(again.status).toBe(1);
    expect(again.stderr).toContain('已有在职管理员');
    expect((await api('/me', {}, await tokenOf('oidc-second'))).body.role).toBe('applicant');
  });

  it('a grant gives a person a role and regions; a changed, then revoked grant is what they can do next', async () => {
    const subject = 'oidc-7f3a';
    const person = await tokenOf(subject);
    // Before any grant, whoever the identity provider vouches for is an applicant.
    expect((await api('/me', {}, person)).body).toMatchObject({
      subject,
      role: 'applicant',
      regionCodes: [],
    });
    expect((await api('/tasks?township=430121', {}, person)).status).toBe(403);

    const granted = await put(subject, {
      name: '王经办',
      role: 'townshipCaseworker',
      regionCodes: ['430121'],
    });
    expect(granted.status).toBe(201);
    expect(granted.body).toMatchObject({ outcome: 'granted', staff: { status: 'active', version: 1 } });
    expect((await api('/me', {}, person)).body).toEqual({
      subject,
      name: '王经办',
      role: 'townshipCaseworker',
      regionCodes: ['430121'],
    });
    expect((await api('/tasks?township=430121', {}, person)).status).toBe(200);
    expect((await api('/tasks?township=430102', {}, person)).status).toBe(403);

    const same = await put(subject, { name: '王经办', role: 'townshipCaseworker', regionCodes: ['430121'] });
    expect(same.status).toBe(200);
    expect(same.body.outcome).toBe('same');
    const changed = await put(subject, {
      name: '王经办',
      role: 'countyOfficer',
      regionCodes: ['430121', '430102'],
    });
    expect(changed.status).toBe(200);
    expect(changed.body).toMatchObject({ outcome: 'changed', staff: { version: 2, role: 'countyOfficer' } });
    expect((await api('/tasks?township=430102', {}, person)).status).toBe(200);

    const revoked = await revoke(subject, '调离民政系统');
    expect(revoked.status).toBe(200);
    expect(revoked.body.staff).toMatchObject({ status: 'revoked', revokedReason: '调离民政系统' });
    expect((await api('/me', {}, person)).body.role).toBe('applicant');
    expect((await api('/tasks?township=430121', {}, person)).status).toBe(403);
    expect((await revoke(subject, '再次撤销')).body.outcome).toBe('same');

    // Every change on the person's chain, attributed; the auditor reads it too.
    const detail = await api(`/admin/staff/${subject}`, {}, actors.auditor);
    expect(detail.status).toBe(200);
    expect(detail.body.history.map((h: { action: string }) => h.action)).toEqual([
      'staff.granted',
      'staff.changed',
      'staff.revoked',
    ]);
    expect(detail.body.history[1].summary).toContain(
      '由“乡镇（街道）经办人，管辖 430121”变更为“县级民政部门工作人员',
    );
    expect(
      detail.body.history.every(
        (h: { actor: { subject: string } }) => h.actor.subject === hunanAdmin.subject,
      ),
    ).toBe(true);
  });

  it('a forged role claim changes nothing: the staff record decides, and a stranger is an applicant', async () => {
    const subject = 'oidc-forger';
    expect(
      (await put(subject, { name: '李经办', role: 'townshipCaseworker', regionCodes: ['430121'] })).status,
    ).toBe(201);
    const forged = await tokenOf(subject, {
      'custom:role': 'admin',
      'custom:regionCodes': '000000',
      role: 'admin',
      regionCodes: '000000',
    });
    expect((await api('/me', {}, forged)).body).toMatchObject({
      role: 'townshipCaseworker',
      regionCodes: ['430121'],
    });
    const parameters = { residence: 'urban', effectiveFrom: '2031-01-01', basis: 'x', values: {} };
    expect(
      (await api('/admin/parameters/430121', { method: 'PUT', body: JSON.stringify(parameters) }, forged))
        .status,
    ).toBe(403);
    expect(
      (await put('oidc-accomplice', { name: '同伙', role: 'admin', regionCodes: ['000000'] }, forged)).status,
    ).toBe(403);

    const stranger = await tokenOf('oidc-stranger', {
      'custom:role': 'countyOfficer',
      'custom:regionCodes': '430121',
    });
    expect((await api('/me', {}, stranger)).body.role).toBe('applicant');
    expect((await api('/cases?regionCode=430121', {}, stranger)).status).toBe(403);
  });

  it('an administrator grants only within their own regions, never to themselves, never over someone serving elsewhere', async () => {
    const outside = await put('oidc-henan', {
      name: '河南某',
      role: 'townshipCaseworker',
      regionCodes: ['410102'],
    });
    expect(outside.status).toBe(403);
    expect(outside.body.error.message).toContain('410102');
    expect((await api('/admin/staff/oidc-henan', {}, actors.admin)).status).toBe(404);
    const mixed = await put('oidc-henan', {
      name: '河南某',
      role: 'auditor',
      regionCodes: ['430000', '410000'],
    });
    expect(mixed.status).toBe(403);

    // The national administrator grants both provinces; Hunan's may then neither change nor revoke them.
    expect(
      (
        await put(
          'oidc-two-provinces',
          { name: '两省审计', role: 'auditor', regionCodes: ['430000', '410000'] },
          actors.admin,
        )
      ).status,
    ).toBe(201);
    expect(
      (await put('oidc-two-provinces', { name: '两省审计', role: 'auditor', regionCodes: ['430000'] }))
        .status,
    ).toBe(403);
    expect((await revoke('oidc-two-provinces', '越权撤销')).status).toBe(403);
    // Hunan's list shows them (they serve Hunan), Beijing's administrator sees neither.
    const listed = await api('/admin/staff?regionCode=430121', {}, hunanAdmin);
    expect(listed.body.staff.map((s: { subject: string }) => s.subject)).toContain('oidc-two-provinces');
    expect((await api('/admin/staff/oidc-two-provinces', {}, actors.adminElsewhere)).status).toBe(403);
    const beijing = await api('/admin/staff', {}, actors.adminElsewhere);
    expect(beijing.body.staff.map((s: { subject: string }) => s.subject)).not.toContain('oidc-two-provinces');

    const self = await put(hunanAdmin.subject!, {
      name: '湖南管理员',
      role: 'admin',
      regionCodes: ['000000'],
    });
    expect(self.status).toBe(403);
    expect(self.body.error.message).toContain('本人');

    const bad = await put('oidc-bad', { name: '', role: 'mayor', regionCodes: ['43'] });
    expect(bad.status).toBe(400);
    expect(bad.body.error.fields.map((f: { field: string }) => f.field).sort()).toEqual(
      ['name', 'regionCodes.0', 'role'].sort(),
    );
    const noDepartment = await put('oidc-bad', {
      name: '部门某',
      role: 'departmentOfficer',
      regionCodes: ['430121'],
    });
    expect(noDepartment.body.error.fields.map((f: { field: string }) => f.field)).toEqual(['department']);
    expect((await api('/admin/staff/oidc-bad', {}, actors.admin)).status).toBe(404);
    expect((await revoke('oidc-nobody', '无此人')).status).toBe(404);
    expect(
      (await put('oidc-x', { name: '某', role: 'auditor', regionCodes: ['430121'] }, actors.auditor)).status,
    ).toBe(403);
  });

  it('the dev sign-in signs a token with no role in it, and will not sign a staff member in as an applicant', async () => {
    const login = (body: unknown) =>
      api('/auth/dev-login', { method: 'POST', body: JSON.stringify(body) }, 'anonymous');
    const signed = await login({
      role: 'countyOfficer',
      regionCodes: ['430121'],
      subject: 'dev-county-x',
      name: '赵某',
    });
    expect(signed.status).toBe(200);
    expect(signed.body.principal).toEqual({
      subject: 'dev-county-x',
      name: '赵某',
      role: 'countyOfficer',
      regionCodes: ['430121'],
    });
    const payload = JSON.parse(Buffer.from(String(signed.body.token).split('.')[1]!, 'base64url').toString());
    expect(Object.keys(payload).sort()).toEqual(['aud', 'exp', 'iat', 'iss', 'name', 'sub']);
    const asApplicant = await login({ role: 'applicant', subject: 'dev-county-x' });
    expect(asApplicant.status).toBe(409);
  });
});
