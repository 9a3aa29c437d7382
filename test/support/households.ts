/** Households for tests: valid GB 11643 ID numbers and a declaration that passes the schema. */
import { idCheckCharacter } from '../../shared/domain/id-number.ts';
import type { ApplicationRequest } from '../../shared/schemas/household.ts';

/** An 18-digit ID number with a correct check character, from a region, a birth date and a serial. */
export function validId(region = '430121', birth = '19800101', serial = 1): string {
  const first17 = `${region}${birth}${String(serial).padStart(3, '0')}`;
  return first17 + idCheckCharacter(first17);
}

/** 长沙县, urban: one adult with no income and a child — well inside 低保. */
export function application(overrides: Partial<ApplicationRequest> = {}): ApplicationRequest {
  return {
    regionCode: '430121',
    residence: 'urban',
    applicant: { name: '张三', phone: '13800000000' },
    requestedTier: 'dibao',
    pledge: true,
    verificationConsent: true,
    members: [
      {
        name: '张三',
        idNumber: validId('430121', '19800101', 11),
        relation: 'self',
        age: 45,
        disabilityGrade: null,
        severeIllness: false,
        labourCapacity: 'partial',
        employed: false,
        incomes: [{ kind: 'transfer', monthlyAmount: 200 }],
      },
      {
        name: '张小明',
        idNumber: validId('430121', '20150601', 12),
        relation: 'child',
        age: 11,
        disabilityGrade: null,
        severeIllness: false,
        labourCapacity: 'none',
        employed: false,
        incomes: [],
      },
    ],
    assets: { deposits: 2000, vehicles: [], housingUnits: 1 },
    spendingLast12Months: { medical: 1200, education: 800 },
    hasAbleSupporter: true,
    ...overrides,
  };
}
