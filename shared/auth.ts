/**
 * Who is calling, and what they may do. The HTTP API's JWT authorizer (the deployment's OIDC issuer
 * on AWS, the local runtime's dev sign-in locally) has verified the token before a handler runs; the
 * token says only who the person is. Their role, regions and department are the system's own staff
 * records (`shared/staff.ts`), read for each request; handlers then check role and jurisdiction
 * themselves — the authorizer only knows that a token is genuine, not whether this person may touch
 * this household. Pure: the pages use it too.
 */
import { HttpError, NotFoundError } from './errors.ts';
import { type Department, departmentLabels, departments } from './monitoring/vocabulary.ts';

export const roles = [
  'applicant',
  'townshipCaseworker',
  'countyOfficer',
  'departmentOfficer',
  'auditor',
  'admin',
] as const;
export type Role = (typeof roles)[number];

export const roleLabels: Record<Role, string> = {
  applicant: '申请人',
  townshipCaseworker: '乡镇（街道）经办人',
  countyOfficer: '县级民政部门工作人员',
  departmentOfficer: '部门工作人员',
  auditor: '审计人员（只读）',
  admin: '系统管理员',
};

/** Departments that receive pushed warnings (分类推送), each answering for its own risk types: one list. */
export { type Department, departments } from './monitoring/vocabulary.ts';

export interface Principal {
  /** The token's subject: the identity provider's id of the person, stable for them. */
  subject: string;
  name: string;
  role: Role;
  /** The regions served (caseworkers, officers, auditors, admins); empty for applicants. */
  regionCodes: string[];
  department?: Department;
}

/** The person as recorded beside what they did: every action is attributable. */
export const actor = (p: Principal) => ({ subject: p.subject, name: p.name, role: p.role });

/** An Idempotency-Key is the caller's own: another person's key never returns their record. */
export const callerKey = (p: Principal, key: string | undefined): string | undefined =>
  key && `${p.subject}:${key}`;

export class UnauthorizedError extends HttpError {
  constructor(message = '请先登录（缺少或无效的身份令牌）') {
    super(401, 'Unauthorized', message);
  }
}

export class ForbiddenError extends HttpError {
  constructor(message: string) {
    super(403, 'Forbidden', message);
  }
}

/**
 * Whether a served region covers a region code: a province (`430000`) covers its prefectures and
 * counties, a prefecture (`430100`) its counties, a county itself. `000000` is the whole country.
 */
export function covers(served: string, regionCode: string): boolean {
  const prefix = served.replace(/(00)+$/, '');
  return regionCode.startsWith(prefix);
}

export const inJurisdiction = (principal: Principal, regionCode: string): boolean =>
  principal.regionCodes.some((served) => covers(served, regionCode));

export function requireRole(principal: Principal, allowed: readonly Role[]): void {
  if (!allowed.includes(principal.role)) {
    throw new ForbiddenError(
      `${roleLabels[principal.role]}无权进行此操作（限${allowed.map((r) => roleLabels[r]).join('、')}）`,
    );
  }
}

export function requireJurisdiction(principal: Principal, regionCode: string): void {
  if (!inJurisdiction(principal, regionCode)) {
    throw new ForbiddenError(`行政区划 ${regionCode} 不在您的管辖范围内`);
  }
}

/**
 * A household's own record: the applicant who submitted it, or staff of the listed roles whose
 * jurisdiction covers its region. An applicant is answered for another household's record exactly
 * as for one that does not exist (404, `missing`): a 403 would tell them that the id is someone's.
 * Staff outside the region are refused (403); they know which regions they serve.
 */
export function requireOwnerOrStaff<R extends { ownerSubject?: string | undefined; regionCode: string }>(
  principal: Principal,
  record: R | undefined,
  staff: readonly Role[],
  missing: string,
): R {
  if (!record || (principal.role === 'applicant' && !isOwner(principal, record)))
    throw new NotFoundError(missing);
  if (principal.role === 'applicant') return record;
  requireRole(principal, ['applicant', ...staff]);
  requireJurisdiction(principal, record.regionCode);
  return record;
}

export const isOwner = (principal: Principal, record: { ownerSubject?: string | undefined }): boolean =>
  record.ownerSubject !== undefined && record.ownerSubject === principal.subject;

/** A department officer acts for their own department only: the one their sign-in names. */
export function ownDepartment(principal: Principal, what: string): Department {
  if (!principal.department)
    throw new ForbiddenError(
      `${roleLabels.departmentOfficer}的登录身份未载明所属部门，不能查看或反馈${what}`,
    );
  return principal.department;
}

/**
 * The departments a list is read for: the one asked about, or every one — and for a department
 * officer only their own (asking for another is refused).
 */
export function departmentsListed(
  principal: Principal,
  requested: Department | undefined,
  what: string,
): readonly Department[] {
  if (principal.role !== 'departmentOfficer') return requested ? [requested] : departments;
  const own = ownDepartment(principal, what);
  if (requested && requested !== own)
    throw new ForbiddenError(`只能查看本部门（${departmentLabels[own]}）的${what}`);
  return [own];
}
