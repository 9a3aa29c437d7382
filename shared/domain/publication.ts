/**
 * 公布社会救助确认决定 (社会救助法第四十五条; 民发〔2021〕57号 第二十四条: the applicant's name, the
 * number of family members and the amount are published where the household lives). What is
 * published is masked — the name with its middle hidden, never an ID number, an address, an income
 * or a health fact — and stays up for a period the region sets.
 */
import { livesTogether } from '../rules/economics.ts';
import type { ApplicationRequest } from '../schemas/household.ts';
import { addDays } from './dates.ts';

/** 张三 → 张*, 张小英 → 张*英, 欧阳小明 → 欧**明: enough for neighbours to recognise, no more. */
export function maskName(name: string): string {
  const chars = [...name.trim()];
  if (chars.length <= 1) return '*';
  if (chars.length === 2) return `${chars[0]}*`;
  return `${chars[0]}${'*'.repeat(chars.length - 2)}${chars.at(-1)}`;
}

export interface PublishedApproval {
  regionCode: string;
  caseId: string;
  /** The applicant's name, masked. */
  applicantName: string;
  /** 共同生活家庭成员人数. */
  householdSize: number;
  tier: string;
  tierLabel: string;
  monthlyAmount: number | null;
  decidedOn: string;
  /** The last day it is shown. */
  publishedUntil: string;
}

export function publicationOf(input: {
  caseId: string;
  regionCode: string;
  declaration: ApplicationRequest;
  tier: string;
  tierLabel: string;
  monthlyAmount: number | null;
  decidedOn: string;
  days: number;
}): PublishedApproval {
  const self = input.declaration.members.find((m) => m.relation === 'self');
  return {
    regionCode: input.regionCode,
    caseId: input.caseId,
    applicantName: maskName(self?.name ?? input.declaration.applicant.name),
    householdSize: input.declaration.members.filter(livesTogether).length,
    tier: input.tier,
    tierLabel: input.tierLabel,
    monthlyAmount: input.monthlyAmount,
    decidedOn: input.decidedOn,
    // The day of decision is day 0: shown for `days` full days after it.
    publishedUntil: addDays(input.decidedOn, input.days),
  };
}

/**
 * 拟终止特困人员救助供养的公示 (民发〔2021〕43号 第二十六条): published in the person's village or
 * community for 7 days (`proposed`, open to objections until `endsOn`); after an objection the
 * county's decision is published again (`decided`: 重新公示). Masked as an approval is; the case id
 * is there only to take an objection (`POST /cases/{caseId}/end-objection`).
 */
export interface PublishedEndNotice {
  regionCode: string;
  caseId: string;
  endNoticeId: string;
  applicantName: string;
  householdSize: number;
  stage: 'proposed' | 'decided';
  /** `decided`: whether support ends after the objection was investigated. */
  decision?: 'terminate' | 'continue';
  startsOn: string;
  /** `proposed`: the last day to object; `decided`: the last day it is shown. */
  endsOn: string;
}

export function endNoticeOf(input: {
  caseId: string;
  regionCode: string;
  endNoticeId: string;
  declaration: Pick<ApplicationRequest, 'members'> & { applicant?: { name: string } };
  stage: PublishedEndNotice['stage'];
  decision?: PublishedEndNotice['decision'];
  startsOn: string;
  endsOn: string;
}): PublishedEndNotice {
  const self = input.declaration.members.find((m) => m.relation === 'self');
  return {
    regionCode: input.regionCode,
    caseId: input.caseId,
    endNoticeId: input.endNoticeId,
    applicantName: maskName(self?.name ?? input.declaration.applicant?.name ?? ''),
    householdSize: input.declaration.members.filter(livesTogether).length,
    stage: input.stage,
    ...(input.decision ? { decision: input.decision } : {}),
    startsOn: input.startsOn,
    endsOn: input.endsOn,
  };
}
