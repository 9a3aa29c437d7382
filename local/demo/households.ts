/**
 * The demo's three households, what they declare, and the people who act on them: each applicant
 * signs in as one demo person; each region has its township caseworker and county officer.
 */
import type { Department, Role } from '../../shared/auth.ts';
import { idCheckCharacter } from '../../shared/domain/id-number.ts';

export interface Household {
  label: string;
  name: string;
  region: string;
}

export const H1: Household = { label: '户1', name: '张三', region: '长沙县' };
export const H2: Household = { label: '户2', name: '李四', region: '中牟县' };
export const H3: Household = { label: '户3', name: '王芳', region: '芙蓉区' };

/** An 18-digit ID number with a correct GB 11643 check character. */
function idNumber(region: string, birth: string, serial: number): string {
  const first17 = `${region}${birth}${String(serial).padStart(3, '0')}`;
  return first17 + idCheckCharacter(first17);
}

type Income = { kind: string; monthlyAmount: number };

function member(
  name: string,
  id: string,
  relation: string,
  age: number,
  labourCapacity: 'full' | 'partial' | 'none',
  incomes: Income[] = [],
) {
  return {
    name,
    idNumber: id,
    relation,
    age,
    disabilityGrade: null,
    severeIllness: false,
    labourCapacity,
    employed: incomes.some((i) => i.kind === 'wage'),
    incomes,
  };
}

export const CHANGSHA_COUNTY = '430121';
export const ZHONGMOU = '410122';
export const FURONG = '430102';

/** In compulsory education, full time (义务教育阶段): the 教育救助 the tier brings reaches him. */
const schooling = { stage: 'compulsory', fullTime: true };

/** 户1: 长沙县, urban; 张三 (able to work part-time, out of work, small transfer income) and his son at school. */
export function zhangSan(incomes: Income[]) {
  return {
    regionCode: CHANGSHA_COUNTY,
    residence: 'urban',
    applicant: { name: '张三', phone: '13800000001' },
    requestedTier: 'dibao',
    members: [
      member('张三', idNumber(CHANGSHA_COUNTY, '19800101', 101), 'self', 46, 'partial', incomes),
      { ...member('张小明', idNumber(CHANGSHA_COUNTY, '20150601', 102), 'child', 11, 'none'), schooling },
    ],
    assets: { deposits: 2000, vehicles: [], housingUnits: 1 },
    spendingLast12Months: { medical: 1200, education: 800 },
    hasAbleSupporter: true,
    pledge: true,
    verificationConsent: true,
  };
}

/** 户2: 中牟县 (Henan), urban; 李四 and his daughter, declaring only a small transfer income. */
export function liSi() {
  return {
    regionCode: ZHONGMOU,
    residence: 'urban',
    applicant: { name: '李四', phone: '13800000002' },
    requestedTier: 'dibao',
    members: [
      member('李四', idNumber(ZHONGMOU, '19700505', 201), 'self', 56, 'partial', [
        { kind: 'transfer', monthlyAmount: 300 },
      ]),
      member('李小红', idNumber(ZHONGMOU, '20120909', 202), 'child', 14, 'none'),
    ],
    assets: { deposits: 3000, vehicles: [], housingUnits: 1 },
    spendingLast12Months: { medical: 600, education: 1500 },
    hasAbleSupporter: true,
    pledge: true,
    verificationConsent: true,
  };
}

/** 户3: 长沙市芙蓉区; 王芳 and her son, their home burnt out. */
export function wangFang(occurredOn: string) {
  return {
    regionCode: FURONG,
    hukouRegionCode: FURONG,
    residence: 'urban',
    applicant: { name: '王芳', phone: '13800000003' },
    members: [
      member('王芳', idNumber(FURONG, '19880312', 301), 'self', 38, 'partial', [
        { kind: 'transfer', monthlyAmount: 300 },
      ]),
      member('刘小宇', idNumber(FURONG, '20180720', 302), 'child', 8, 'none'),
    ],
    assets: { deposits: 800, vehicles: [], housingUnits: 1 },
    spendingLast12Months: { medical: 500, education: 600 },
    hasAbleSupporter: true,
    pledge: true,
    verificationConsent: true,
    hardship: {
      kind: 'fire',
      description: '家中失火，衣物被褥和家具烧毁，急需基本生活救助',
      occurredOn,
    },
    requestedAmount: 5000,
  };
}

// ── who acts ─────────────────────────────────────────────────────────────────────────────────────

/** Who acts: a role and, for staff, the region whose work they do (as `POST /auth/dev-login` takes it). */
export interface Actor {
  role: Role;
  regionCodes?: string[];
  subject?: string;
  name?: string;
  department?: Department;
}

/** The households' applicants sign in as one demo person, who reads only what they submitted. */
export const applicant: Actor = { role: 'applicant', subject: 'demo-applicant', name: '申请人（演示）' };
export const admin: Actor = { role: 'admin', regionCodes: ['000000'], subject: 'demo-admin', name: '管理员' };
export const auditor: Actor = {
  role: 'auditor',
  regionCodes: ['000000'],
  subject: 'demo-auditor',
  name: '审计',
};
export const township = (regionCode: string): Actor => ({
  role: 'townshipCaseworker',
  regionCodes: [regionCode],
  subject: `demo-township-${regionCode}`,
  name: '乡镇经办人',
});
export const county = (regionCode: string): Actor => ({
  role: 'countyOfficer',
  regionCodes: [regionCode],
  subject: `demo-county-${regionCode}`,
  name: '县民政局',
});
/** A second officer of the county: approves the payment roll the first prepared. */
export const countyApprover = (regionCode: string): Actor => ({
  role: 'countyOfficer',
  regionCodes: [regionCode],
  subject: `demo-county-approver-${regionCode}`,
  name: '县民政局（审批）',
});
/** A department's officer serving the region: answers the demands pushed to the department (需求推送). */
export const departmentOfficer = (department: Department, regionCode: string): Actor => ({
  role: 'departmentOfficer',
  regionCodes: [regionCode],
  subject: `demo-${department}-${regionCode}`,
  name: `${department}（演示）`,
  department,
});
