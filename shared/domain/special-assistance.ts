/**
 * 专项救助 by tier (分层分类的“分类”): what a household's tier entitles its members to beyond the monthly
 * money — 医疗救助 and the resident medical-insurance premium (社会救助法第二十四条), 教育救助 at every
 * stage (第二十五条), 住房救助 (第二十六条), 就业救助 (第二十七条) — and which department delivers it.
 * The rules are the region's date-versioned parameter `specialAssistance` (`shared/parameters/index.ts`),
 * each row citing its clause; this module applies them to a household. Pure and browser-safe.
 */
import { type Department, departmentLabels as departmentName } from '../monitoring/vocabulary.ts';

export const specialItems = [
  'medicalPremium',
  'medicalAssistance',
  'educationAssistance',
  'housingAssistance',
  'employmentAssistance',
  'disabilitySubsidy',
] as const;
export type SpecialItem = (typeof specialItems)[number];

export const specialItemLabels: Record<SpecialItem, string> = {
  medicalPremium: '城乡居民基本医疗保险个人缴费资助',
  medicalAssistance: '医疗救助',
  educationAssistance: '教育救助',
  housingAssistance: '住房救助',
  employmentAssistance: '就业救助',
  disabilitySubsidy: '困难残疾人生活补贴',
};

/** The department that delivers each item, and to which its demand is pushed (需求推送). */
export const specialItemDepartments: Record<SpecialItem, Department> = {
  medicalPremium: 'medicalInsurance',
  medicalAssistance: 'medicalInsurance',
  educationAssistance: 'education',
  housingAssistance: 'housing',
  employmentAssistance: 'humanResources',
  disabilitySubsidy: 'disability',
};

/** The tiers special assistance follows (第二十四至二十七条 name them; others get none). */
export const specialTiers = ['tekun', 'dibao', 'singlePersonDibao', 'marginal', 'rigidExpense'] as const;
export type SpecialTier = (typeof specialTiers)[number];

/** Who in the household a rule reaches. */
export type SpecialRecipients =
  | { kind: 'everyMember' }
  | { kind: 'schooling'; stages: string[] }
  | { kind: 'unemployedAbleToWork'; minAge: number; maxAge: number }
  | { kind: 'disabled'; grades: number[] }
  | { kind: 'severeIllness' }
  /** The household as a whole, where it declared housing difficulty (and lives as `residence` says). */
  | { kind: 'housingDifficulty'; residence?: 'urban' | 'rural' | undefined };

/** One row of the region's table: an item for some tiers and some members, with what it gives. */
export interface SpecialRule {
  item: SpecialItem;
  tiers: SpecialTier[];
  recipients: SpecialRecipients;
  /** What the household receives, in words the notice and the department read (例如“个人缴费部分全额资助”). */
  benefit: string;
  /** The share of the premium paid (资助比例), where the item has one. */
  share?: number | undefined;
  /** 医疗救助: the share of eligible costs covered, and the yearly cap (元). */
  ratio?: number | undefined;
  annualCap?: number | undefined;
  /** The article or document the row applies. */
  clause: string;
}

/** The facts of a member that the rules read (the household declaration's own fields). */
export interface SpecialMember {
  name: string;
  age: number;
  labourCapacity: 'full' | 'partial' | 'none';
  employed?: boolean | undefined;
  schooling?: { stage: string } | null | undefined;
  disabilityGrade?: number | null | undefined;
  severeIllness?: boolean | undefined;
  notCounted?: unknown;
}

export interface SpecialHousehold {
  residence: 'urban' | 'rural';
  housingDifficulty?: boolean | undefined;
  members: SpecialMember[];
}

/** One item a household (`member` null) or one of its members is entitled to, with its department. */
export interface SpecialGrant {
  item: SpecialItem;
  department: Department;
  /** The member's position in the declaration; null for the household as a whole. */
  member: number | null;
  benefit: string;
  share?: number;
  ratio?: number;
  annualCap?: number;
  clause: string;
}

const reaches = (r: SpecialRecipients, m: SpecialMember): boolean => {
  switch (r.kind) {
    case 'everyMember':
      return true;
    case 'schooling':
      return !!m.schooling && r.stages.includes(m.schooling.stage);
    case 'unemployedAbleToWork':
      return (
        m.labourCapacity !== 'none' && !m.employed && !m.schooling && m.age >= r.minAge && m.age <= r.maxAge
      );
    case 'disabled':
      return m.disabilityGrade != null && r.grades.includes(m.disabilityGrade);
    case 'severeIllness':
      return !!m.severeIllness;
    case 'housingDifficulty':
      return false;
  }
};

/**
 * The items a household in `tier` is entitled to under `rules`: per member for the members counted in
 * the household (民发〔2021〕57号第七条: members not counted get nothing through it), per household for
 * housing. One grant per item and recipient: the first matching row gives it, so a region lists its
 * more generous rows first.
 */
export function specialAssistanceFor(
  household: SpecialHousehold,
  tier: string,
  rules: readonly SpecialRule[],
): SpecialGrant[] {
  const grants: SpecialGrant[] = [];
  const given = new Set<string>();
  const grant = (rule: SpecialRule, member: number | null) => {
    const key = `${rule.item}#${member ?? 'household'}`;
    if (given.has(key)) return;
    given.add(key);
    grants.push({
      item: rule.item,
      department: specialItemDepartments[rule.item],
      member,
      benefit: rule.benefit,
      ...(rule.share === undefined ? {} : { share: rule.share }),
      ...(rule.ratio === undefined ? {} : { ratio: rule.ratio }),
      ...(rule.annualCap === undefined ? {} : { annualCap: rule.annualCap }),
      clause: rule.clause,
    });
  };
  for (const rule of rules) {
    if (!(rule.tiers as readonly string[]).includes(tier)) continue;
    const r = rule.recipients;
    if (r.kind === 'housingDifficulty') {
      if (household.housingDifficulty && (!r.residence || r.residence === household.residence))
        grant(rule, null);
      continue;
    }
    household.members.forEach((m, i) => {
      if (!m.notCounted && reaches(r, m)) grant(rule, i);
    });
  }
  return grants;
}

const grantKey = (g: SpecialGrant) => `${g.item}#${g.member ?? 'household'}`;

/**
 * What changed between the items in force before a decision and after it: new items (or the same item
 * on new terms) start, items no longer given end. What a department is told (需求推送).
 */
export function specialChanges(
  before: readonly SpecialGrant[],
  after: readonly SpecialGrant[],
): { started: SpecialGrant[]; ended: SpecialGrant[] } {
  const same = (a: SpecialGrant, b: SpecialGrant) =>
    a.benefit === b.benefit && a.share === b.share && a.ratio === b.ratio && a.annualCap === b.annualCap;
  const was = new Map(before.map((g) => [grantKey(g), g]));
  const now = new Map(after.map((g) => [grantKey(g), g]));
  return {
    started: after.filter((g) => {
      const prior = was.get(grantKey(g));
      return !prior || !same(prior, g);
    }),
    ended: before.filter((g) => !now.has(grantKey(g))),
  };
}

/** The determination's answer to one item the household asked for (一次申请、分类审核认定). */
export interface SpecialAnswer {
  item: SpecialItem;
  itemLabel: string;
  granted: boolean;
  text: string;
}

/**
 * Answers each item asked for: granted to whom and what, with the department that delivers it; or
 * not, and why — the tier's rules do not reach anyone of the household, or the application was not
 * approved.
 */
export function answerSpecialRequests(
  requests: readonly SpecialItem[],
  outcome: { approved: boolean; tierLabel?: string | undefined },
  grants: readonly SpecialGrant[],
  memberNames: readonly string[],
): SpecialAnswer[] {
  return requests.map((item) => {
    const itemLabel = specialItemLabels[item];
    if (!outcome.approved)
      return { item, itemLabel, granted: false, text: `救助申请未予确认，${itemLabel}不能据此给予` };
    const given = grants.filter((g) => g.item === item);
    if (!given.length)
      return {
        item,
        itemLabel,
        granted: false,
        text: `按本地专项救助规定，${outcome.tierLabel ?? ''}家庭的成员不符合${itemLabel}的条件，不予给予`,
      };
    const who = given
      .map(
        (g) =>
          `${g.member === null ? '全户' : (memberNames[g.member] ?? `成员${g.member + 1}`)}：${g.benefit}`,
      )
      .join('；');
    return {
      item,
      itemLabel,
      granted: true,
      text: `给予（${who}），由${departmentName[given[0]!.department]}办理`,
    };
  });
}
