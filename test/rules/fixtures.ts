/**
 * Households and parameters for the rules' tests. The parameter set is written out here with round
 * numbers (not the sample data) so that each hand-worked case can show its arithmetic and does not
 * move when the sample data changes.
 */
import { idCheckCharacter } from '../../shared/domain/id-number.ts';
import type { ParameterName, ParameterSet, ParameterValues } from '../../shared/parameters/index.ts';
import {
  type DisabilityCategory,
  type HouseholdDeclaration,
  householdDeclaration,
  type IncomeKind,
  type Member,
  type SchoolingStage,
} from '../../shared/schemas/household.ts';

export const REGION = '430121';
export const AS_OF = '2026-03-01';

/** A valid GB 11643 number, distinct per index. */
export function idNumber(index: number): string {
  const first17 = `43012119${String(50 + (index % 50)).padStart(2, '0')}0101${String(index).padStart(3, '0')}`;
  return first17 + idCheckCharacter(first17);
}

export const baseValues: ParameterValues = {
  dibaoStandard: 800,
  tekunBasicLivingStandard: 1040,
  marginalMultiple: 1.5,
  priorYearDisposableIncome: 48_000,
  rigidExpenseRatio: 0.5,
  employmentCostDeduction: 200,
  excludedIncomeKinds: { dibao: [], tekun: [] },
  assetLimits: {
    tekun: {
      deposits: { kind: 'multipleOfAnnualDibaoStandard', multiple: 2, basis: 'perCapita' },
      maxNonExemptVehicles: 0,
      maxNonExemptVehicleValue: null,
      maxHousingUnits: 1,
    },
    dibao: {
      deposits: { kind: 'multipleOfAnnualDibaoStandard', multiple: 2, basis: 'perCapita' },
      maxNonExemptVehicles: 0,
      maxNonExemptVehicleValue: null,
      maxHousingUnits: 1,
    },
    marginal: {
      deposits: { kind: 'multipleOfAnnualDibaoStandard', multiple: 3, basis: 'perCapita' },
      maxNonExemptVehicles: 1,
      maxNonExemptVehicleValue: 50_000,
      maxHousingUnits: 1,
    },
    rigidExpense: {
      deposits: { kind: 'absolute', amount: 40_000, basis: 'perCapita' },
      maxNonExemptVehicles: 1,
      maxNonExemptVehicleValue: 80_000,
      maxHousingUnits: 2,
    },
  },
  personCriteria: {
    elderlyFromAge: 60,
    minorBelowAge: 16,
    adultAge: 18,
    severeDisabilityGrades: [1, 2],
    // 民发〔2021〕43号 第五条（三）, as published.
    noLabourCapacityDisabilities: [
      { category: 'intellectual', upToGrade: 3 },
      { category: 'mental', upToGrade: 3 },
      { category: 'physical', upToGrade: 2 },
      { category: 'visual', upToGrade: 1 },
    ],
    adultSevereDisabilityAlone: false,
  },
  // Zero by default so that the amounts of the older cases stay the gap alone; the 第二十条 and
  // 第十七条 cases set them.
  tekunCareStandards: { fullSelfCare: 0, partialLoss: 0, fullLoss: 0 },
  dibaoIncrements: {
    elderlyFromAge: 70,
    elderly: 0,
    minor: 0,
    severeDisability: 0,
    seriousIllness: 0,
    combine: 'highest',
  },
  dibaoAmountMethod: { kind: 'gap' },
  rigidLivingExpense: { kind: 'none' },
  illnessDisabilityDeduction: false,
  recheckMonths: {
    tekun: 12,
    dibaoStable: 12,
    dibaoUnstable: 6,
    singlePersonDibao: 12,
    marginal: 12,
    rigidExpense: 12,
  },
  gradualExitMonths: 6,
  emergencySmallAmount: 1_000,
  emergencySmallAmountCeiling: 3_000,
  emergencyHouseholdLimit: { amount: 5_000, months: 12 },
  amountRounding: { unit: 'yuan', mode: 'halfUp' },
  amountFloorPerPerson: 20,
  decisionAuthority: { level: 'county' },
  paymentStart: 'nextMonth',
  payrollDay: 5,
  suspendDuringHearing: false,
  // The means test reads none of it; test/unit/special-assistance.test.ts has its own rows.
  specialAssistance: [],
  recoveryDeductionShare: 0.3,
  bankFileLayout: {
    columns: ['lineNo', 'accountName', 'accountNumber', 'bankName', 'amount', 'purpose', 'caseId'],
  },
  timeLimits: {
    publicNoticeDays: 7,
    townshipReviewWorkingDays: 15,
    determinationWorkingDays: 10,
    refusalNoticeWorkingDays: 3,
    approvalNoticeWorkingDays: 3,
    alternativeDeterminationWorkingDays: 3,
    reviewWorkingDays: 30,
    investigationStartWorkingDays: 3,
    reviewExtendedWorkingDays: 45,
    hearingWorkingDays: 5,
    publicationDays: 30,
    tekunTownshipWorkingDays: 15,
    tekunCountyWorkingDays: 15,
    tekunHomeCheckShare: 0.3,
    deathRecheckMonths: 3,
  },
};

export function parameters(
  overrides: Partial<ParameterValues> = {},
  residence: 'urban' | 'rural' = 'urban',
): ParameterSet {
  const values = { ...baseValues, ...overrides };
  const names = Object.keys(values) as ParameterName[];
  return {
    ...values,
    regionCode: REGION,
    residence,
    asOf: AS_OF,
    version: `${REGION}:${residence}:test`,
    sampleData: false,
    clauses: Object.fromEntries(names.map((n) => [n, `测试条款：${n}`])) as Record<ParameterName, string>,
    sources: Object.fromEntries(names.map((n) => [n, `${REGION}:${residence}:test`])) as Record<
      ParameterName,
      string
    >,
  };
}

type Income = { kind: IncomeKind; monthlyAmount: number };

export interface PersonInput {
  name?: string;
  relation?: 'self' | 'spouse' | 'child' | 'parent' | 'grandchild' | 'grandparent' | 'sibling' | 'other';
  age?: number;
  disability?: [DisabilityCategory, 1 | 2 | 3 | 4] | null;
  severeIllness?: boolean;
  schooling?: { stage: SchoolingStage; fullTime?: boolean } | null;
  livesWithHousehold?: boolean;
  notCounted?: Member['notCounted'];
  selfCareUnable?: Member['selfCareUnable'];
  labourCapacity?: 'full' | 'partial' | 'none';
  employed?: boolean;
  incomes?: Income[];
}

export interface HouseholdInput {
  members: PersonInput[];
  deposits?: number;
  vehicles?: Array<{ value: number; exempt?: boolean }>;
  housingUnits?: number;
  medical?: number;
  education?: number;
  rehabilitation?: number;
  otherSpending?: number;
  hasAbleSupporter?: boolean;
  obligors?: HouseholdDeclaration['obligors'];
  irregularIncome?: boolean;
  residence?: 'urban' | 'rural';
}

/** A household through the real schema, so defaults and validation are those of the API. */
export function household(input: HouseholdInput): HouseholdDeclaration {
  return householdDeclaration.parse({
    regionCode: REGION,
    residence: input.residence ?? 'urban',
    members: input.members.map((m, i) => ({
      name: m.name ?? `成员${i + 1}`,
      idNumber: idNumber(i),
      relation: m.relation ?? (i === 0 ? 'self' : 'child'),
      age: m.age ?? 40,
      disabilityCategory: m.disability?.[0] ?? null,
      disabilityGrade: m.disability?.[1] ?? null,
      severeIllness: m.severeIllness ?? false,
      schooling: m.schooling ?? null,
      livesWithHousehold: m.livesWithHousehold ?? true,
      notCounted: m.notCounted ?? null,
      selfCareUnable: m.selfCareUnable ?? [],
      labourCapacity: m.labourCapacity ?? 'full',
      employed: m.employed ?? false,
      incomes: m.incomes ?? [],
    })),
    assets: {
      deposits: input.deposits ?? 0,
      vehicles: input.vehicles ?? [],
      housingUnits: input.housingUnits ?? 1,
    },
    spendingLast12Months: {
      medical: input.medical ?? 0,
      education: input.education ?? 0,
      rehabilitation: input.rehabilitation ?? 0,
      other: input.otherSpending ?? 0,
    },
    ...(input.obligors === undefined ? { hasAbleSupporter: input.hasAbleSupporter ?? true } : {}),
    obligors: input.obligors,
    irregularIncome: input.irregularIncome ?? false,
  });
}

export const wage = (monthlyAmount: number): Income => ({ kind: 'wage', monthlyAmount });
export const pension = (monthlyAmount: number): Income => ({ kind: 'pension', monthlyAmount });
export const transfer = (monthlyAmount: number): Income => ({ kind: 'transfer', monthlyAmount });
