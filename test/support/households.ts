/** Households for tests: valid GB 11643 ID numbers and a declaration that passes the schema. */
import { idCheckCharacter } from '../../shared/domain/id-number.ts';
import type { ApplicationRequest } from '../../shared/schemas/household.ts';

/** An 18-digit ID number with a correct check character, from a region, a birth date and a serial. */
export function validId(region = '430121', birth = '19800101', serial = 1): string {
  const first17 = `${region}${birth}${String(serial).padStart(3, '0')}`;
  return first17 + idCheckCharacter(first17);
}

let households = 0;

/**
 * ID numbers for the next household: every household a test makes is other people, since one
 * person's second open application is refused (409). The birth date and serial vary; the region
 * and the ages stay as the household describes them.
 */
export function nextIds(): { self: string; child: string } {
  const n = households++;
  const month = String(1 + (Math.floor(n / 28) % 12)).padStart(2, '0');
  const day = String(1 + (n % 28)).padStart(2, '0');
  const serial = 100 + 2 * (Math.floor(n / 336) % 450);
  return {
    self: validId('430121', `1980${month}${day}`, serial),
    child: validId('430121', `2015${month}${day}`, serial + 1),
  };
}

/**
 * 长沙县, urban: one adult with no income and a child — well inside 低保. Each call is another
 * household (its own ID numbers); the same household again is one call's result reused.
 */
export function application(overrides: Partial<ApplicationRequest> = {}): ApplicationRequest {
  const ids = nextIds();
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
        idNumber: ids.self,
        relation: 'self',
        age: 45,
        disabilityCategory: null,
        disabilityGrade: null,
        severeIllness: false,
        schooling: null,
        livesWithHousehold: true,
        notCounted: null,
        selfCareUnable: [],
        labourCapacity: 'partial',
        employed: false,
        incomes: [{ kind: 'transfer', monthlyAmount: 200 }],
      },
      {
        name: '张小明',
        idNumber: ids.child,
        relation: 'child',
        age: 11,
        disabilityCategory: null,
        disabilityGrade: null,
        severeIllness: false,
        schooling: null,
        livesWithHousehold: true,
        notCounted: null,
        selfCareUnable: [],
        labourCapacity: 'none',
        employed: false,
        incomes: [],
      },
    ],
    assets: { deposits: 2000, vehicles: [], housingUnits: 1 },
    spendingLast12Months: { medical: 1200, education: 800, rehabilitation: 0, other: 0 },
    hasAbleSupporter: true,
    // Casual income and a parent able to work: the 低保 household is rechecked half-yearly.
    irregularIncome: true,
    housingDifficulty: false,
    specialRequests: [],
    ...overrides,
  };
}

/**
 * The household of a fresh `application()` alone — members, assets, spending, support — without
 * the applicant, the pledges or the tier asked for: what the means-test preview and a declaration take.
 */
export function household() {
  const { applicant: _a, pledge: _p, verificationConsent: _v, requestedTier: _r, ...rest } = application();
  return rest;
}
