/**
 * Staff records: who is a caseworker, officer, auditor or administrator, for which regions and which
 * department. The identity provider only says who someone is (the token's subject, verified by the
 * HTTP API's JWT authorizer); what they may do comes from here, granted by an administrator within
 * the administrator's own regions, each change an entry on the chain `staff-<subject>`. A claim in
 * the token — `custom:role` or anything else a user or a misconfigured provider could put there —
 * is never read (docs/architecture.md §8).
 *
 * Items: `pk=STAFF#<subject>`, `sk=STAFF`, listed through `gsi1` under `STAFF` (a province has
 * thousands of staff, not millions: one partition, filtered by jurisdiction when read).
 */
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { type AuditActor, AuditedWriteConflictError, appendAudit } from './audit.ts';
import {
  actor,
  type Department,
  ForbiddenError,
  inJurisdiction,
  type Principal,
  type Role,
  roleLabels,
} from './auth.ts';
import { dynamo } from './clients.ts';
import { requiredEnv } from './config.ts';
import { queryAll } from './dynamo.ts';
import { ConflictError } from './errors.ts';
import { departmentLabels } from './monitoring/vocabulary.ts';
import { casesTable } from './resources.ts';

const table = () => requiredEnv(casesTable.env);
const KEY = (subject: string) => ({ pk: `STAFF#${subject}`, sk: 'STAFF' });
const LIST = 'STAFF';

export type StaffRole = Exclude<Role, 'applicant'>;

export interface StaffGrant {
  name: string;
  role: StaffRole;
  regionCodes: string[];
  department?: Department | undefined;
}

export interface StaffRecord extends StaffGrant {
  subject: string;
  status: 'active' | 'revoked';
  /** Incremented by every change: a change made on a stale read is refused. */
  version: number;
  updatedAt: string;
  updatedBy: { subject: string; name: string };
  revokedReason?: string;
}

export const staffChain = (subject: string) => `staff-${subject}`;

/** A stored item as the record, without its keys. */
const recordOf = ({ pk: _pk, sk: _sk, gsi1pk: _g, gsi1sk: _s, ...record }: Record<string, unknown>) =>
  record as unknown as StaffRecord;

export async function staffRecord(subject: string): Promise<StaffRecord | undefined> {
  const { Item } = await dynamo().send(
    // Consistent: a revocation takes effect on the next request, not a second later.
    new GetCommand({ TableName: table(), Key: KEY(subject), ConsistentRead: true }),
  );
  return Item && recordOf(Item);
}

/** Every staff record, active and revoked. */
export async function allStaff(): Promise<StaffRecord[]> {
  const items = await queryAll(dynamo(), {
    TableName: table(),
    IndexName: 'gsi1',
    KeyConditionExpression: 'gsi1pk = :list',
    ExpressionAttributeValues: { ':list': LIST },
  });
  return items.map(recordOf);
}

/** Every staff record, active and revoked, whose regions meet the reader's jurisdiction. */
export async function listStaff(reader: Principal): Promise<StaffRecord[]> {
  return (await allStaff()).filter((r) => r.regionCodes.some((code) => inJurisdiction(reader, code)));
}

const describe = (g: StaffGrant) =>
  `${roleLabels[g.role]}，管辖 ${g.regionCodes.join('、')}${g.department ? `，${departmentLabels[g.department]}` : ''}`;

const sameGrant = (a: StaffGrant, b: StaffGrant) =>
  a.name === b.name &&
  a.role === b.role &&
  a.department === b.department &&
  a.regionCodes.length === b.regionCodes.length &&
  a.regionCodes.every((c, i) => c === b.regionCodes[i]);

/**
 * What an administrator may touch: never their own record (nobody widens their own powers), never
 * a region outside their own, and never a person who also serves somewhere they do not.
 */
function requireAdministers(admin: Principal, subject: string, regionCodes: readonly string[]): void {
  if (admin.subject === subject) throw new ForbiddenError('不能变更本人的角色或管辖范围，请由其他管理员办理');
  const outside = regionCodes.filter((code) => !inJurisdiction(admin, code));
  if (outside.length)
    throw new ForbiddenError(`行政区划 ${outside.join('、')} 不在您的管辖范围内，不能授予或变更`);
}

async function writeAudited(
  subject: string,
  record: StaffRecord,
  previous: StaffRecord | undefined,
  action: 'staff.granted' | 'staff.changed' | 'staff.revoked',
  by: AuditActor,
  summary: string,
): Promise<void> {
  try {
    await appendAudit(
      staffChain(subject),
      {
        key: `${action}:${record.version}`,
        actor: by,
        action,
        summary,
        refs: { subject },
      },
      [
        {
          Put: {
            TableName: table(),
            Item: { ...KEY(subject), ...record, gsi1pk: LIST, gsi1sk: subject },
            ...(previous
              ? { ConditionExpression: 'version = :v', ExpressionAttributeValues: { ':v': previous.version } }
              : { ConditionExpression: 'attribute_not_exists(pk)' }),
          },
        },
      ],
    );
  } catch (error) {
    if (error instanceof AuditedWriteConflictError)
      throw new ConflictError('该工作人员的授权刚被他人变更，请刷新后重试');
    throw error;
  }
}

/** The record of `grant` as the next version after `previous`. */
const activeRecord = (
  subject: string,
  grant: StaffGrant,
  previous: StaffRecord | undefined,
  by: { subject: string; name: string },
): StaffRecord => ({
  subject,
  name: grant.name,
  role: grant.role,
  regionCodes: grant.regionCodes,
  ...(grant.department ? { department: grant.department } : {}),
  status: 'active',
  version: (previous?.version ?? 0) + 1,
  updatedAt: new Date().toISOString(),
  updatedBy: { subject: by.subject, name: by.name },
});

/**
 * Grants a role and regions to a person, or changes them: `granted` for someone with no active
 * record, `changed` for a different grant, `same` (nothing written) for the grant they hold.
 */
export async function grantStaff(
  admin: Principal,
  subject: string,
  grant: StaffGrant,
): Promise<{ outcome: 'granted' | 'changed' | 'same'; record: StaffRecord }> {
  const previous = await staffRecord(subject);
  const active = previous?.status === 'active' ? previous : undefined;
  requireAdministers(admin, subject, [...grant.regionCodes, ...(active?.regionCodes ?? [])]);
  if (active && sameGrant(active, grant)) return { outcome: 'same', record: active };
  const record = activeRecord(subject, grant, previous, admin);
  const outcome = active ? 'changed' : 'granted';
  await writeAudited(
    subject,
    record,
    previous,
    outcome === 'granted' ? 'staff.granted' : 'staff.changed',
    actor(admin),
    active
      ? `${grant.name}：由“${describe(active)}”变更为“${describe(grant)}”`
      : `授予 ${grant.name}：${describe(grant)}`,
  );
  return { outcome, record };
}

/** Revokes a person's grant: `revoked`, `same` when it already was, `missing` when there never was one. */
export async function revokeStaff(
  admin: Principal,
  subject: string,
  reason: string,
): Promise<{ outcome: 'revoked' | 'same' | 'missing'; record?: StaffRecord }> {
  const previous = await staffRecord(subject);
  if (!previous) return { outcome: 'missing' };
  requireAdministers(admin, subject, previous.regionCodes);
  if (previous.status === 'revoked') return { outcome: 'same', record: previous };
  const record: StaffRecord = {
    ...previous,
    status: 'revoked',
    revokedReason: reason,
    version: previous.version + 1,
    updatedAt: new Date().toISOString(),
    updatedBy: { subject: admin.subject, name: admin.name },
  };
  await writeAudited(
    subject,
    record,
    previous,
    'staff.revoked',
    actor(admin),
    `撤销 ${previous.name}（${describe(previous)}）的授权：${reason}`,
  );
  return { outcome: 'revoked', record };
}

/**
 * Writes a grant without an administrator: the local dev sign-in (anyone may be anyone locally) and
 * the first administrator of a new deployment (`npm run staff:bootstrap`). Recorded on the chain as
 * the system's act; nothing is written when the grant is the one held.
 */
export async function putStaffAsSystem(
  subject: string,
  grant: StaffGrant,
  by: { subject: string; name: string },
): Promise<StaffRecord> {
  const previous = await staffRecord(subject);
  if (previous?.status === 'active' && sameGrant(previous, grant)) return previous;
  const record = activeRecord(subject, grant, previous, by);
  await writeAudited(
    subject,
    record,
    previous,
    previous ? 'staff.changed' : 'staff.granted',
    { ...by, role: 'system' },
    `${by.name}：${grant.name}，${describe(grant)}`,
  );
  return record;
}

/** The claim that names a person: `name` unless the deployment's issuer says otherwise. */
const nameClaim = () => process.env.OIDC_NAME_CLAIM || 'name';

type Claims = Record<string, unknown>;

/**
 * Who a verified token's holder is: staff with an active record act in its role, regions and
 * department; anyone else the identity provider vouches for is an applicant, acting for their own
 * household only.
 */
export async function principalFromClaims(claims: Claims | undefined): Promise<Principal | undefined> {
  const subject = claims?.sub;
  if (typeof subject !== 'string' || !subject) return undefined;
  const claimed = claims?.[nameClaim()];
  const name = typeof claimed === 'string' && claimed.trim() ? claimed.trim() : subject;
  return principalFor(subject, name, await staffRecord(subject));
}

/** The principal of a person with this staff record (an active one), or of an applicant. */
export function principalFor(subject: string, name: string, staff: StaffRecord | undefined): Principal {
  if (staff?.status !== 'active') return { subject, name, role: 'applicant', regionCodes: [] };
  return {
    subject,
    name: staff.name,
    role: staff.role,
    regionCodes: staff.regionCodes,
    ...(staff.department ? { department: staff.department } : {}),
  };
}

const resolved = new WeakMap<APIGatewayProxyEventV2, Promise<Principal | undefined>>();

/** The caller of a request, read once per request (the rate limiter and the handler share it). */
export function principalOf(event: APIGatewayProxyEventV2): Promise<Principal | undefined> {
  let principal = resolved.get(event);
  if (!principal) {
    const context = event.requestContext as { authorizer?: { jwt?: { claims?: Claims } } };
    principal = principalFromClaims(context.authorizer?.jwt?.claims);
    resolved.set(event, principal);
  }
  return principal;
}
