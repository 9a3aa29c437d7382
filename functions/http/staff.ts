/**
 * The signed-in person (`GET /me`) and staff administration (`/admin/staff`): administrators grant,
 * change and revoke roles and regions within their own regions; auditors read. The state logic —
 * who may change whom, what a change is, the audit entry written with it — is `shared/staff.ts`.
 */
import { auditActions, readAuditLog } from '../../shared/audit.ts';
import {
  covers,
  ForbiddenError,
  inJurisdiction,
  type Principal,
  requireJurisdiction,
  roles,
} from '../../shared/auth.ts';
import { NotFoundError } from '../../shared/errors.ts';
import { httpRoute } from '../../shared/http.ts';
import {
  setWorkChannel as saveWorkChannel,
  type WorkChannelChoice,
  workChannelOf,
} from '../../shared/notify/work-channel.ts';
import {
  staffGrantBody,
  staffListQuery,
  staffPath,
  staffRevocationBody,
  workChannelBody,
  workChannelLabels,
} from '../../shared/schemas/staff.ts';
import {
  grantStaff,
  listStaff,
  revokeStaff,
  type StaffRecord,
  staffChain,
  staffRecord,
} from '../../shared/staff.ts';

/** Who the API takes the caller to be: the pages show it, and a person can see what they were granted. */
export const me = httpRoute({ roles }, async ({ principal }) => ({ statusCode: 200, body: principal }));

/** Those whom work messages concern: the township's and the county's caseworkers. */
const alerted = ['townshipCaseworker', 'countyOfficer'] as const;

const workChannelView = (choice: WorkChannelChoice) => ({
  ...choice,
  channelLabel: workChannelLabels[choice.channel],
});

/** How work messages alert the caller (`shared/notify/work-channel.ts`). */
export const workChannel = httpRoute({ roles: alerted }, async ({ principal }) => ({
  statusCode: 200,
  body: workChannelView(await workChannelOf(principal.subject)),
}));

/** The caller chooses it: @-mentioned on 政务钉钉 or 企业微信 by their account id there, or the inbox alone. */
export const setWorkChannel = httpRoute(
  { roles: alerted, body: workChannelBody },
  async ({ body, principal }) => ({
    statusCode: 200,
    body: workChannelView(await saveWorkChannel(principal, body)),
  }),
);

/** The scopes the pages ask for: who the person is and their name. */
const OIDC_SCOPE = 'openid profile';

/**
 * How the pages sign people in, read before anyone has: the deployment's OIDC issuer and this
 * system's client id (`OIDC_ISSUER`, `OIDC_CLIENT_ID`), and whether the local dev sign-in is there.
 * One build of the pages serves every deployment.
 */
export const signInOptions = httpRoute({ roles: 'public' }, async () => {
  const issuer = process.env.OIDC_ISSUER;
  const clientId = process.env.OIDC_CLIENT_ID;
  return {
    statusCode: 200,
    body: {
      dev: process.env.DOUDI_DEV_SIGN_IN === 'on',
      oidc: issuer && clientId ? { issuer, clientId, scope: OIDC_SCOPE } : null,
    },
  };
});

const overlaps = (a: string, b: string) => covers(a, b) || covers(b, a);

export const list = httpRoute(
  { roles: ['admin', 'auditor'], query: staffListQuery },
  async ({ query, principal }) => {
    if (query.regionCode) requireJurisdiction(principal, query.regionCode);
    const staff = (await listStaff(principal)).filter(
      (r) =>
        (!query.status || r.status === query.status) &&
        (!query.regionCode || r.regionCodes.some((code) => overlaps(code, query.regionCode!))),
    );
    staff.sort((a, b) => a.regionCodes[0]!.localeCompare(b.regionCodes[0]!) || a.name.localeCompare(b.name));
    return { statusCode: 200, body: { staff } };
  },
);

/** A record the reader's regions meet; another region's staff are none of their business (403). */
async function readable(principal: Principal, subject: string): Promise<StaffRecord> {
  const record = await staffRecord(subject);
  if (!record) throw new NotFoundError(`没有用户编号为 ${subject} 的工作人员`);
  if (!record.regionCodes.some((code) => inJurisdiction(principal, code)))
    throw new ForbiddenError(`该工作人员所服务的行政区划不在您的管辖范围内`);
  return record;
}

export const get = httpRoute(
  { roles: ['admin', 'auditor'], path: staffPath },
  async ({ path, principal }) => {
    const record = await readable(principal, path.subject);
    const { entries } = await readAuditLog(staffChain(path.subject));
    return {
      statusCode: 200,
      body: {
        ...record,
        history: entries.map((e) => ({
          at: e.at,
          action: e.action,
          actionLabel: auditActions[e.action as keyof typeof auditActions] ?? e.action,
          summary: e.summary,
          actor: e.actor,
        })),
      },
    };
  },
);

export const put = httpRoute(
  { roles: ['admin'], path: staffPath, body: staffGrantBody },
  async ({ path, body, principal }) => {
    const { outcome, record } = await grantStaff(principal, path.subject, body);
    return { statusCode: outcome === 'granted' ? 201 : 200, body: { outcome, staff: record } };
  },
);

export const revoke = httpRoute(
  { roles: ['admin'], path: staffPath, body: staffRevocationBody },
  async ({ path, body, principal }) => {
    const { outcome, record } = await revokeStaff(principal, path.subject, body.reason);
    if (outcome === 'missing') throw new NotFoundError(`没有用户编号为 ${path.subject} 的工作人员`);
    return { statusCode: 200, body: { outcome, staff: record } };
  },
);
