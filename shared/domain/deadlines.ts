/**
 * 审核确认时限: the whole of a review, from acceptance to the written decision, in working days —
 * 30, extendable to 45 in special cases (民发〔2021〕57号 第二十二条; 《刚性支出困难家庭认定办法》第八条
 * names 人户分离 and a difficult investigation; Henan 25/40 — parameters). An extension is taken
 * once, with a recorded reason, never silently.
 */
import type { ProvisionalDeadline } from '../calendar/index.ts';
import type { Actor } from './cases.ts';
import { chinaDate } from './dates.ts';

export const extensionReasons = [
  'objection', // 公示期间有异议，需重新调查
  'householdSeparated', // 人户分离
  'remoteApplication', // 异地申办
  'investigationDifficulty', // 家庭经济状况调查难度较大
] as const;
export type ExtensionReason = (typeof extensionReasons)[number];

export const extensionReasonLabels: Record<ExtensionReason, string> = {
  objection: '公示期间有异议，需重新调查核实',
  householdSeparated: '人户分离',
  remoteApplication: '异地申办',
  investigationDifficulty: '家庭经济状况调查难度较大',
};

/** 家庭经济状况调查的方式 (57号 第十五条): 入户调查、邻里访问、信函索证、提请信息核对. */
export const investigationMethods = ['homeVisit', 'neighbourVisit', 'letter', 'dataCheck'] as const;
export type InvestigationMethod = (typeof investigationMethods)[number];

export const investigationMethodLabels: Record<InvestigationMethod, string> = {
  homeVisit: '入户调查',
  neighbourVisit: '邻里访问',
  letter: '信函索证',
  dataCheck: '提请县级开展家庭经济状况信息核对',
};

/**
 * 启动家庭经济状况调查 (57号 第十五条): the township starts its investigation within 3 working days
 * of acceptance; when it did, and how, is recorded once.
 */
export interface InvestigationStart {
  /** The last day to start (`timeLimits.investigationStartWorkingDays` after acceptance). */
  startBy: string;
  startByProvisional?: boolean;
  started?: { on: string; method: InvestigationMethod; note?: string; recordedAt: string; by: Actor };
}

export interface ReviewDeadline {
  /** The day the application was accepted (受理); the day itself is not counted. */
  acceptedOn: string;
  workingDays: number;
  dueDate: string;
  provisional?: boolean;
  /** Absent on applications accepted before it was tracked. */
  investigation?: InvestigationStart;
  extension?: {
    reason: ExtensionReason;
    note: string;
    workingDays: number;
    dueDate: string;
    provisional?: boolean;
    extendedAt: string;
    by: Actor;
  };
}

/** The deadline as first set: `workingDays` after acceptance, and the day to start investigating by. */
export function reviewDeadline(
  acceptedOn: string,
  workingDays: number,
  due: ProvisionalDeadline,
  startBy?: ProvisionalDeadline,
): ReviewDeadline {
  return {
    acceptedOn,
    workingDays,
    dueDate: due.deadline,
    ...(due.provisional ? { provisional: true } : {}),
    ...(startBy
      ? {
          investigation: {
            startBy: startBy.deadline,
            ...(startBy.provisional ? { startByProvisional: true } : {}),
          },
        }
      : {}),
  };
}

/** The date in force: the extended one once extended. */
export const currentDueDate = (d: ReviewDeadline): string => d.extension?.dueDate ?? d.dueDate;

/**
 * Whether the review kept its time: `met` once decided (by the date in force), `overdue` while it is
 * open past it. The first date stays visible, so an auditor sees what the extension moved.
 */
export function reviewCompliance(
  d: ReviewDeadline,
  determinedAt: string | null | undefined,
  today = chinaDate(),
) {
  const due = currentDueDate(d);
  const decidedOn = determinedAt ? chinaDate(new Date(determinedAt)) : undefined;
  return {
    acceptedOn: d.acceptedOn,
    workingDays: d.extension?.workingDays ?? d.workingDays,
    dueDate: due,
    originalDueDate: d.dueDate,
    extended: d.extension !== undefined,
    ...(d.extension ? { extensionReason: extensionReasonLabels[d.extension.reason] } : {}),
    met: decidedOn === undefined ? null : decidedOn <= due,
    overdue: decidedOn === undefined && today > due,
    investigation: d.investigation ? investigationCompliance(d.investigation, today) : null,
  };
}

/** Whether the investigation started in time: `met` once started, `overdue` while not started past the day. */
export function investigationCompliance(i: InvestigationStart, today = chinaDate()) {
  return {
    startBy: i.startBy,
    startedOn: i.started?.on ?? null,
    method: i.started ? investigationMethodLabels[i.started.method] : null,
    met: i.started ? i.started.on <= i.startBy : null,
    overdue: !i.started && today > i.startBy,
  };
}

// ── 县级入户核查 ───────────────────────────────────────────────────────────────────────────────────

/**
 * When the county must see the household itself before it decides: a 特困 application drawn in the
 * county's random check of at least 30% (民发〔2021〕43号 第十六条), or a household with a member
 * who is a close relative of staff or of a village/community committee member (民发〔2021〕57号
 * 第十一条: registered separately; 第二十条: the county visits). The draw is reproducible: anyone can recompute it from the region and the application id.
 */
export interface CountyHomeCheck {
  required: boolean;
  reasons: Array<'tekunDraw' | 'relative' | 'committeeRelative'>;
  draw?: { value: number; share: number; method: string };
}

export const TEKUN_DRAW_METHOD =
  'SHA-256(行政区划代码|申请编号) 的前8位十六进制数 ÷ 16^8，小于抽查比例即抽中（可复算）';

/** The draw's value in [0, 1), from a hash of `regionCode|applicationId` (Node or browser alike). */
export function drawValue(hexDigest: string): number {
  return Number.parseInt(hexDigest.slice(0, 8), 16) / 0x1_0000_0000;
}

export const homeCheckReasonLabels = {
  tekunDraw: '特困人员认定随机抽查（不低于30%）抽中',
  relative: '家庭成员与经办人员有近亲属关系（单独登记备案）',
  committeeRelative: '家庭成员与村（居）民委员会成员有近亲属关系（单独登记备案）',
} as const;
