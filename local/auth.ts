/**
 * The local runtime's sign-in and its JWT authorizer — what the deployment's OIDC issuer and API
 * Gateway's JWT authorizer do on AWS. `POST /auth/dev-login { role, regionCodes, … }` signs a token
 * shaped like an OIDC ID token (`iss`, `aud`, `sub`, `name`, and nothing about roles); for a staff
 * role it first writes the person's staff record (`shared/staff.ts`), as an administrator would
 * grant it — anyone may be anyone locally, and what they may do is read from that record, as on
 * AWS. Every route that is not public needs a token, and its verified claims reach the handler in
 * `requestContext.authorizer.jwt`.
 *
 * The signing key lives in the data directory, so tokens stay valid across a restart; in memory
 * mode it lives as long as the process. Token lifetimes run on real time, not the virtual clock:
 * moving the clock a month on must not sign everybody out.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createRemoteJWKSet, decodeProtectedHeader, jwtVerify, SignJWT } from 'jose';
import { z } from 'zod';
import { departments, roleLabels, roles } from '../shared/auth.ts';
import { ConflictError } from '../shared/errors.ts';
import { regionCode } from '../shared/schemas/household.ts';
import { principalFor, putStaffAsSystem, type StaffRecord, staffRecord } from '../shared/staff.ts';

const ISSUER = 'doudi-local';
const AUDIENCE = 'doudi';
const LIFETIME_SECONDS = 12 * 3600;

/** Wall-clock seconds, whatever the virtual clock says (`Date` follows the virtual clock). */
const realSeconds = () => Math.floor((performance.timeOrigin + performance.now()) / 1000);

export const devLoginBody = z
  .object({
    role: z.enum(roles, { error: `role 应为 ${roles.join('、')} 之一` }),
    regionCodes: z.array(regionCode).max(50, { error: '行政区划代码最多50个' }).default([]),
    department: z.enum(departments, { error: `department 应为 ${departments.join('、')} 之一` }).optional(),
    /** Signing in again as the same person (an applicant who comes back to their application). */
    subject: z
      .string()
      .regex(/^[\w.:@-]{1,128}$/, { error: 'subject 应为1–128位字母、数字或 . _ : @ -' })
      .optional(),
    name: z.string().trim().min(1).max(50).optional(),
  })
  .refine((b) => b.role === 'applicant' || b.regionCodes.length > 0, {
    error: '工作人员须至少指定一个所服务的行政区划代码',
    path: ['regionCodes'],
  })
  .refine((b) => b.role !== 'departmentOfficer' || b.department !== undefined, {
    error: '部门工作人员须指定所属部门（department）',
    path: ['department'],
  });
export type DevLogin = z.input<typeof devLoginBody>;

export class LocalIdentity {
  /** The external issuer's signing keys, fetched from its discovery document on first use. */
  #issuerKeys: ReturnType<typeof createRemoteJWKSet> | undefined;

  constructor(
    private readonly secret: Uint8Array,
    private readonly oidc?: { issuer: string; clientId: string },
  ) {}

  /** The key kept in `dataDir` (made on first use), or a fresh one for an in-memory runtime. */
  static forDataDir(dataDir: string | null, oidc?: { issuer: string; clientId: string }): LocalIdentity {
    if (!dataDir) return new LocalIdentity(randomBytes(32), oidc);
    mkdirSync(dataDir, { recursive: true });
    const file = join(dataDir, 'auth-key');
    try {
      return new LocalIdentity(Buffer.from(readFileSync(file, 'utf8').trim(), 'base64url'), oidc);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
      const key = randomBytes(32);
      writeFileSync(file, key.toString('base64url'), { mode: 0o600 });
      return new LocalIdentity(key, oidc);
    }
  }

  /**
   * Signs `login` in: records a staff member's grant (an applicant who is staff is refused: locally
   * a subject is one or the other) and answers the token and the principal the API will see.
   */
  async issue(login: z.output<typeof devLoginBody>) {
    const subject = login.subject ?? `dev-${randomUUID()}`;
    const name = login.name ?? roleLabels[login.role];
    let staff: StaffRecord | undefined;
    if (login.role === 'applicant') {
      if ((await staffRecord(subject))?.status === 'active')
        throw new ConflictError(`用户编号 ${subject} 是工作人员，不能以申请人身份登录`);
    } else
      staff = await putStaffAsSystem(
        subject,
        {
          name,
          role: login.role,
          regionCodes: login.regionCodes,
          ...(login.department ? { department: login.department } : {}),
        },
        { subject: 'dev-login', name: '本地开发登录' },
      );
    const { token, expiresAt } = await this.sign(subject, { name });
    return { token, expiresAt, principal: principalFor(subject, name, staff) };
  }

  /** A token of this issuer for `subject` with these claims: what the dev sign-in hands out, and what a test forges. */
  async sign(subject: string, claims: Record<string, string>) {
    const now = realSeconds();
    const token = await new SignJWT(claims)
      .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
      .setSubject(subject)
      .setIssuer(ISSUER)
      .setAudience(AUDIENCE)
      .setIssuedAt(now)
      .setExpirationTime(now + LIFETIME_SECONDS)
      .sign(this.secret);
    return { token, expiresAt: new Date((now + LIFETIME_SECONDS) * 1000).toISOString() };
  }

  private async issuerKeys() {
    if (!this.#issuerKeys) {
      const discovery = `${this.oidc!.issuer.replace(/\/$/, '')}/.well-known/openid-configuration`;
      const { jwks_uri } = (await (await fetch(discovery)).json()) as { jwks_uri: string };
      this.#issuerKeys = createRemoteJWKSet(new URL(jwks_uri));
    }
    return this.#issuerKeys;
  }

  /** The claims of a genuine, unexpired token, as API Gateway hands them on (strings); else undefined. */
  async verify(authorization: string | undefined): Promise<Record<string, string> | undefined> {
    const token = /^Bearer ([\w-]+\.[\w-]+\.[\w-]+)$/.exec(authorization ?? '')?.[1];
    if (!token) return undefined;
    try {
      const currentDate = new Date(realSeconds() * 1000);
      const { payload } =
        this.oidc && decodeProtectedHeader(token).alg !== 'HS256'
          ? // An ID token of the external issuer, verified as API Gateway's JWT authorizer does.
            await jwtVerify(token, await this.issuerKeys(), {
              issuer: this.oidc.issuer,
              audience: this.oidc.clientId,
              currentDate,
            })
          : await jwtVerify(token, this.secret, {
              issuer: ISSUER,
              audience: AUDIENCE,
              algorithms: ['HS256'],
              currentDate,
            });
      return Object.fromEntries(
        Object.entries(payload).map(([k, v]) => [k, Array.isArray(v) ? v.join(',') : String(v)]),
      );
    } catch {
      return undefined;
    }
  }
}
