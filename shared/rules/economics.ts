/**
 * 家庭经济状况: the household's income and assets as the means test counts them. All money is in
 * integer fen and all ratios in integer basis points, so that a comparison against a line is exact
 * and a household one fen below the standard is never rounded onto it.
 */

import { toFen, toYuan } from '../domain/money.ts';
import type { ParameterSet } from '../parameters/index.ts';
import type { HouseholdDeclaration, IncomeKind, Member } from '../schemas/household.ts';

export type { IncomeKind };

export type AssetTier = 'tekun' | 'dibao' | 'marginal' | 'rigidExpense';
type AssetLimits = ParameterSet['assetLimits'][AssetTier];
type Rounding = ParameterSet['amountRounding'];

/** A ratio (at most 4 decimals) to basis points. */
export const toBasisPoints = (ratio: number): number => Math.round(ratio * 10_000);

/** Sign of a·b − c·d for non-negative integers, exact even past 2^53. */
export function compareProducts(a: number, b: number, c: number, d: number): number {
  const left = a * b;
  const right = c * d;
  if (left <= Number.MAX_SAFE_INTEGER && right <= Number.MAX_SAFE_INTEGER) return Math.sign(left - right);
  const l = BigInt(a) * BigInt(b);
  const r = BigInt(c) * BigInt(d);
  return l < r ? -1 : l > r ? 1 : 0;
}

const UNIT_FEN = { fen: 1, jiao: 10, yuan: 100 } as const;

/** Rounds a non-negative amount of fen to the region's unit and mode (取整规则). */
export function roundFen(fen: number, rounding: Rounding): number {
  const unit = UNIT_FEN[rounding.unit];
  if (unit === 1) return fen;
  switch (rounding.mode) {
    case 'up':
      return Math.ceil(fen / unit) * unit;
    case 'down':
      return Math.floor(fen / unit) * unit;
    case 'halfUp':
      return Math.floor((fen + unit / 2) / unit) * unit;
  }
}

export interface HouseholdEconomics {
  /** 共同生活家庭成员: members who live with the household, or study full-time away from it (第七条). */
  size: number;
  /** Per declared member: counted as a member living together. */
  counted: boolean[];
  /** Monthly, every declared item of every counted member. */
  grossIncomeFen: number;
  /** Monthly, items of kinds 低保 does not count (不计入家庭收入). */
  excludedIncomeFen: number;
  /** Monthly, necessary employment costs deducted for employed members (必要的就业成本). */
  employmentDeductionFen: number;
  /** Monthly, extra costs of illness or disability deducted where the region allows (57号 第十三条末款). */
  illnessDeductionFen: number;
  /** Monthly household income 低保 and the tiers on its lines compare: gross − excluded − deductions. */
  countedIncomeFen: number;
  /** Monthly, items of kinds 特困 does not count (43号 第六条). */
  tekunExcludedIncomeFen: number;
  /** Monthly household income under 特困's exclusions. */
  tekunCountedIncomeFen: number;
  incomeByKindFen: Record<IncomeKind, number>;
  /** Each member's own counted income (低保's exclusions) after their deduction, in member order (单人保). */
  memberIncomeFen: number[];
  depositsFen: number;
  nonExemptVehicles: number;
  nonExemptVehicleValueFen: number;
  housingUnits: number;
  medicalSpendingFen: number;
  educationSpendingFen: number;
  rehabilitationSpendingFen: number;
  otherSpendingFen: number;
  /** 生活支出 over 12 months, by the county's rule (not declared). */
  livingSpendingFen: number;
  /** Every category of 刚性支出 over the 12 months (认定办法 第五条). */
  rigidSpendingFen: number;
}

/**
 * 共同生活: living with the household, or a full-time student away at school (57号 第七条第一款（三）);
 * never one whom 第七条第二款 excludes (clergy living apart, prisoners, compulsory rehab, the missing).
 */
export const livesTogether = (m: Member): boolean =>
  m.notCounted === null && (m.livesWithHousehold || m.schooling?.fullTime === true);

function livingSpendingFen(rule: ParameterSet['rigidLivingExpense'], dibaoStandardFen: number, size: number) {
  switch (rule.kind) {
    case 'none':
      return 0;
    case 'dibaoStandardMultiple':
      return Math.floor((toBasisPoints(rule.multiple) * dibaoStandardFen * 12 * size) / 10_000);
    case 'perPersonMonthly':
      return toFen(rule.amount) * 12 * size;
  }
}

/**
 * 民发〔2021〕57号《最低生活保障审核确认办法》第十三条: household income is every counted member's
 * wage, net business, net property, net transfer and other income, less the items the rules exclude
 * (per tier: 43号 第六条 gives 特困's own list); for an employed member the necessary cost of working
 * may be deducted, never beyond that member's own earnings (wage and business income), so the
 * deduction cannot push income below zero. Where the region allows, the extra costs of illness and
 * disability (the year's medical and rehabilitation spending, monthly) are deducted too, down to zero.
 */
export function householdEconomics(
  household: HouseholdDeclaration,
  parameters: ParameterSet,
): HouseholdEconomics {
  const excluded = parameters.excludedIncomeKinds.dibao;
  const tekunExcluded = parameters.excludedIncomeKinds.tekun;
  const deductionFen = toFen(parameters.employmentCostDeduction);
  // A literal with every kind keeps one object shape; test/rules checks it lists every schema kind.
  const incomeByKindFen: Record<IncomeKind, number> = {
    wage: 0,
    business: 0,
    property: 0,
    agriculture: 0,
    pension: 0,
    basicPension: 0,
    supportPayment: 0,
    transfer: 0,
    specialCare: 0,
    familyPlanning: 0,
    scholarship: 0,
    heroicReward: 0,
    assistance: 0,
    allowance: 0,
    other: 0,
  };
  let size = 0;
  let grossIncomeFen = 0;
  let excludedIncomeFen = 0;
  let tekunExcludedIncomeFen = 0;
  let employmentDeductionFen = 0;
  let tekunEmploymentDeductionFen = 0;
  const counted: boolean[] = [];
  const memberIncomeFen: number[] = [];

  for (const m of household.members) {
    const together = livesTogether(m);
    counted.push(together);
    if (!together) {
      memberIncomeFen.push(0);
      continue;
    }
    size++;
    let own = 0;
    let earned = 0;
    let tekunEarned = 0;
    for (const item of m.incomes) {
      const fen = toFen(item.monthlyAmount);
      grossIncomeFen += fen;
      incomeByKindFen[item.kind] += fen;
      const isEarning = item.kind === 'wage' || item.kind === 'business';
      if (tekunExcluded.includes(item.kind)) tekunExcludedIncomeFen += fen;
      else if (isEarning) tekunEarned += fen;
      if (excluded.includes(item.kind)) {
        excludedIncomeFen += fen;
        continue;
      }
      own += fen;
      if (isEarning) earned += fen;
    }
    if (m.employed && deductionFen > 0) {
      const d = Math.min(earned, deductionFen);
      employmentDeductionFen += d;
      own -= d;
      tekunEmploymentDeductionFen += Math.min(tekunEarned, deductionFen);
    }
    memberIncomeFen.push(own);
  }

  const spending = household.spendingLast12Months;
  const medicalSpendingFen = toFen(spending.medical);
  const rehabilitationSpendingFen = toFen(spending.rehabilitation);
  const beforeIllness = grossIncomeFen - excludedIncomeFen - employmentDeductionFen;
  const tekunBeforeIllness = grossIncomeFen - tekunExcludedIncomeFen - tekunEmploymentDeductionFen;
  const illnessMonthlyFen = parameters.illnessDisabilityDeduction
    ? Math.floor((medicalSpendingFen + rehabilitationSpendingFen) / 12)
    : 0;
  const illnessDeductionFen = Math.min(illnessMonthlyFen, beforeIllness);

  let nonExemptVehicles = 0;
  let nonExemptVehicleValueFen = 0;
  for (const v of household.assets.vehicles) {
    if (v.exempt) continue;
    nonExemptVehicles++;
    nonExemptVehicleValueFen += toFen(v.value);
  }

  const educationSpendingFen = toFen(spending.education);
  const otherSpendingFen = toFen(spending.other);
  const living = livingSpendingFen(parameters.rigidLivingExpense, toFen(parameters.dibaoStandard), size);
  return {
    size,
    counted,
    grossIncomeFen,
    excludedIncomeFen,
    employmentDeductionFen,
    illnessDeductionFen,
    countedIncomeFen: beforeIllness - illnessDeductionFen,
    tekunExcludedIncomeFen,
    tekunCountedIncomeFen: tekunBeforeIllness - Math.min(illnessMonthlyFen, tekunBeforeIllness),
    incomeByKindFen,
    memberIncomeFen,
    depositsFen: toFen(household.assets.deposits),
    nonExemptVehicles,
    nonExemptVehicleValueFen,
    housingUnits: household.assets.housingUnits,
    medicalSpendingFen,
    educationSpendingFen,
    rehabilitationSpendingFen,
    otherSpendingFen,
    livingSpendingFen: living,
    rigidSpendingFen:
      medicalSpendingFen + educationSpendingFen + rehabilitationSpendingFen + otherSpendingFen + living,
  };
}

/** Deposits within the limit: exact, as deposits × 10,000 ≤ multiple (basis points) × 12 × standard × heads. */
function depositsWithin(e: HouseholdEconomics, limits: AssetLimits, dibaoStandardFen: number): boolean {
  const d = limits.deposits;
  const heads = d.basis === 'perCapita' ? e.size : 1;
  if (d.kind === 'multipleOfAnnualDibaoStandard') {
    return (
      compareProducts(e.depositsFen, 10_000, toBasisPoints(d.multiple), 12 * dibaoStandardFen * heads) <= 0
    );
  }
  return e.depositsFen <= toFen(d.amount) * heads;
}

const vehiclesWithin = (e: HouseholdEconomics, limits: AssetLimits): boolean =>
  e.nonExemptVehicles <= limits.maxNonExemptVehicles &&
  (limits.maxNonExemptVehicleValue === null ||
    e.nonExemptVehicleValueFen <= toFen(limits.maxNonExemptVehicleValue));

/** The asset test as the tier decision needs it: one boolean, no allocation. */
export function assetsWithin(e: HouseholdEconomics, limits: AssetLimits, dibaoStandardFen: number): boolean {
  return (
    e.housingUnits <= limits.maxHousingUnits &&
    vehiclesWithin(e, limits) &&
    depositsWithin(e, limits, dibaoStandardFen)
  );
}

/** An asset test with its figures in yuan, as results and reasons show it. */
export interface AssetCheck {
  within: boolean;
  deposits: { value: number; limit: number; within: boolean };
  vehicles: { count: number; value: number; maxCount: number; maxValue: number | null; within: boolean };
  housing: { units: number; max: number; within: boolean };
}

/**
 * 家庭财产状况规定 (民发〔2021〕57号 第三章; the limits themselves are local parameters): deposits
 * against a multiple of the annual 低保 standard or an absolute amount, per capita or per household;
 * vehicles other than exempt ones (e.g. 残疾人功能性补偿代步车辆) by number and value; housing units.
 */
export function checkAssets(
  e: HouseholdEconomics,
  limits: AssetLimits,
  dibaoStandardFen: number,
): AssetCheck {
  const d = limits.deposits;
  const heads = d.basis === 'perCapita' ? e.size : 1;
  // For display only; the test itself is depositsWithin's exact comparison.
  const limitFen =
    d.kind === 'multipleOfAnnualDibaoStandard'
      ? Math.floor((toBasisPoints(d.multiple) * 12 * dibaoStandardFen * heads) / 10_000)
      : toFen(d.amount) * heads;
  const deposits = depositsWithin(e, limits, dibaoStandardFen);
  const vehicles = vehiclesWithin(e, limits);
  const housing = e.housingUnits <= limits.maxHousingUnits;
  return {
    within: deposits && vehicles && housing,
    deposits: { value: toYuan(e.depositsFen), limit: toYuan(limitFen), within: deposits },
    vehicles: {
      count: e.nonExemptVehicles,
      value: toYuan(e.nonExemptVehicleValueFen),
      maxCount: limits.maxNonExemptVehicles,
      maxValue: limits.maxNonExemptVehicleValue,
      within: vehicles,
    },
    housing: { units: e.housingUnits, max: limits.maxHousingUnits, within: housing },
  };
}
