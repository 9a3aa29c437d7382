/**
 * The people tests act as. Staff serve Hunan and Henan, the provinces of the sample parameters, and
 * Hubei, where a test loads a province that lets townships decide; the `elsewhere` variants serve
 * 东城区 (Beijing) only, for requests outside their jurisdiction.
 */
import { devToken } from '../../local/client.ts';
import type { Department, Role } from '../../shared/auth.ts';

export interface Actor {
  role: Role;
  regionCodes?: string[];
  subject?: string;
  name?: string;
  department?: Department;
}

const SERVED = ['430000', '410000', '420000'];
const ELSEWHERE = ['110101'];

export const actors = {
  applicant: { role: 'applicant', subject: 'test-applicant', name: '张三' },
  otherApplicant: { role: 'applicant', subject: 'test-other-applicant', name: '路人甲' },
  township: { role: 'townshipCaseworker', regionCodes: SERVED, subject: 'test-township', name: '王五' },
  county: { role: 'countyOfficer', regionCodes: SERVED, subject: 'test-county', name: '县民政局赵六' },
  /** A second county officer: approves what `county` prepared (发放名册). */
  countyApprover: {
    role: 'countyOfficer',
    regionCodes: SERVED,
    subject: 'test-county-2',
    name: '县民政局周九',
  },
  department: {
    role: 'departmentOfficer',
    regionCodes: SERVED,
    subject: 'test-department',
    name: '医保局钱七',
    department: 'medicalInsurance',
  },
  auditor: { role: 'auditor', regionCodes: SERVED, subject: 'test-auditor', name: '审计孙八' },
  /** A national administrator (民政部): loads any region's parameters. */
  admin: { role: 'admin', regionCodes: ['000000'], subject: 'test-admin', name: '管理员' },
  townshipElsewhere: { role: 'townshipCaseworker', regionCodes: ELSEWHERE, subject: 'test-township-bj' },
  countyElsewhere: { role: 'countyOfficer', regionCodes: ELSEWHERE, subject: 'test-county-bj' },
  auditorElsewhere: { role: 'auditor', regionCodes: ELSEWHERE, subject: 'test-auditor-bj' },
  adminElsewhere: { role: 'admin', regionCodes: ELSEWHERE, subject: 'test-admin-bj' },
} satisfies Record<string, Actor>;

/** Signs in through the runtime's `POST /auth/dev-login`, once per actor and API. */
export const tokenFor = (apiUrl: string, actor: Actor): Promise<string> => devToken(apiUrl, actor);
