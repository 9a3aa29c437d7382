/**
 * 拟终止特困人员救助供养的公示 (民发〔2021〕43号 第二十六条): before ending 特困 support the county
 * publishes the proposal in the person's village/community for 7 days. Without objection it decides
 * and ends support from the next month; an objection is investigated and decided by the county. One
 * step function, two phases, as the recheck workflow calls them:
 *
 *   open  — records the notice once and publishes it; returns when it ends (the workflow's Wait)
 *   close — the notice period is over: closes it and says whether anyone objected
 */
import { appendAudit, SYSTEM } from '../../shared/audit.ts';
import { chinaDate } from '../../shared/domain/dates.ts';
import { endOfChinaDay, publicNoticeEnd } from '../../shared/domain/determination.ts';
import { stableId } from '../../shared/domain/ids.ts';
import { endNoticeOf, type PublishedEndNotice } from '../../shared/domain/publication.ts';
import { recordCalendarFallback } from '../../shared/metrics.ts';
import * as lifecycle from '../../shared/repositories/lifecycle.ts';
import { calendar, parametersFor } from '../../shared/repositories/parameters.ts';
import { publishEndNotice } from '../../shared/repositories/publication.ts';
import { householdOf } from '../../shared/repositories/register.ts';
import type { Assessment } from './recheck.ts';

export type EndNoticeEvent =
  | { phase: 'open'; executionArn: string; caseId: string; assessment: Assessment }
  | { phase: 'close'; caseId: string; endNoticeId: string };

export interface EndNoticePlan {
  endNoticeId: string;
  startsOn: string;
  endsOn: string;
  endsAt: string;
}

export interface EndNoticeOutcome {
  objected: boolean;
  objections: Array<{ reason: string; raisedAt: string }>;
}

export async function endNotice(event: EndNoticeEvent): Promise<EndNoticePlan | EndNoticeOutcome> {
  return event.phase === 'open' ? open(event) : close(event);
}

const planOf = (n: lifecycle.EndNoticeRecord): EndNoticePlan => ({
  endNoticeId: n.endNoticeId,
  startsOn: n.startsOn,
  endsOn: n.endsOn,
  endsAt: n.endsAt,
});

async function open(event: Extract<EndNoticeEvent, { phase: 'open' }>): Promise<EndNoticePlan> {
  const a = event.assessment;
  const endNoticeId = stableId('endnotice', event.executionArn);
  const existing = await lifecycle.getEndNotice(event.caseId, endNoticeId);
  if (existing) return planOf(existing);
  const now = new Date();
  const today = chinaDate(now);
  const { timeLimits } = await parametersFor(a.regionCode, a.residence, today);
  // The same 公示 period as an application's (at least the statutory 7 days), moved off a rest day.
  const end = publicNoticeEnd(await calendar(), today, timeLimits.publicNoticeDays);
  if (end.provisional) recordCalendarFallback(end.assumedYears);
  const notice = await lifecycle.openEndNotice({
    endNoticeId,
    caseId: event.caseId,
    recheckId: a.recheckId,
    status: 'open',
    openedAt: now.toISOString(),
    startsOn: today,
    endsOn: end.deadline,
    ...(end.provisional ? { endsOnProvisional: true } : {}),
    endsAt: endOfChinaDay(end.deadline),
    objections: [],
    objectorKeys: [],
  });
  await publishEnd(event.caseId, a.regionCode, {
    endNoticeId,
    stage: 'proposed',
    startsOn: notice.startsOn,
    endsOn: notice.endsOn,
  });
  await appendAudit(event.caseId, {
    key: `endNotice.opened#${endNoticeId}`,
    actor: SYSTEM,
    action: 'endNotice.opened',
    summary: `拟终止特困人员救助供养，在所在村（社区）公示：${notice.startsOn}至${notice.endsOn}`,
    refs: { endNoticeId, recheckId: a.recheckId },
  });
  return planOf(notice);
}

async function close(event: Extract<EndNoticeEvent, { phase: 'close' }>): Promise<EndNoticeOutcome> {
  const notice = await lifecycle.closeEndNotice(event.caseId, event.endNoticeId, new Date().toISOString());
  const objections = notice.objections.map(({ reason, raisedAt }) => ({ reason, raisedAt }));
  await appendAudit(event.caseId, {
    key: `endNotice.closed#${event.endNoticeId}`,
    actor: SYSTEM,
    action: 'endNotice.closed',
    summary: objections.length
      ? `公示期满，收到异议${objections.length}件，由县级民政部门调查核实后决定`
      : '公示期满，无异议',
    refs: { endNoticeId: event.endNoticeId, recheckId: notice.recheckId },
  });
  return { objected: objections.length > 0, objections };
}

/**
 * Puts a stage of the notice on the public page where the person lives (43号 第二十六条): the proposal
 * while objections are taken, and — after an objection — the county's decision (重新公示). Once each.
 */
export async function publishEnd(
  caseId: string,
  regionCode: string,
  entry: Pick<PublishedEndNotice, 'endNoticeId' | 'stage' | 'decision' | 'startsOn' | 'endsOn'>,
): Promise<void> {
  const item = await lifecycle.getCaseItem(caseId);
  const household = item ? await householdOf(item) : undefined;
  if (!household) throw new Error(`case ${caseId}: no household declared to publish`);
  await publishEndNotice(endNoticeOf({ caseId, regionCode, declaration: household.declaration, ...entry }));
}

/** What the written decision says of the notice: when it ran, and what came of it. */
export function endNoticeReason(plan: EndNoticePlan, outcome: EndNoticeOutcome): string {
  return `拟终止救助供养已在所在村（社区）公示（${plan.startsOn}至${plan.endsOn}）：${
    outcome.objected ? `收到异议${outcome.objections.length}件，经县级民政部门调查核实` : '公示期满无异议'
  }（民发〔2021〕43号第二十六条）`;
}
