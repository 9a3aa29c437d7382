/** What `runDemo` answers: each household's story and its end state, checked. */

export interface DemoOptions {
  /** No step lines and no table (the summary is still returned). */
  quiet?: boolean;
  /** Where lines go (default: stdout). */
  log?: (line: string) => void;
  /** Longest real-time wait for any one thing to happen, in ms (default 20 s). */
  waitMs?: number;
}

export interface Check {
  what: string;
  ok: boolean;
  detail?: string;
}

export interface HouseholdSummary {
  label: string;
  name: string;
  region: string;
  caseId: string | null;
  expected: string;
  outcome: string;
  ok: boolean;
  checks: Check[];
}

export interface PaymentView {
  month: string;
  kind: string;
  amount: number;
  tier: string;
  basis: string;
}

export interface DemoSummary {
  ok: boolean;
  realMs: number;
  virtualStart: string;
  virtualEnd: string;
  households: HouseholdSummary[];
  /** 户1: approved, rechecked, gradual exit, closed under monitoring. */
  approved: {
    applicationId: string | null;
    caseId: string | null;
    tier: string | null;
    monthlyAmount: number | null;
    determinedOn: string | null;
    nextRecheckDue: string | null;
    recheck: { outcome: string | null; reasons: string[]; confirmedOn: string | null };
    gradualExit: { months: number | null; payments: PaymentView[]; total: number };
    /** 按月发放: the months the county's rolls paid, through the bank. */
    paidMonths: string[];
    /** 需求推送: `department:item` of each demand the departments answered. */
    demands: string[];
    /** 结果互认 and 增减变动名单: 医保's look-up of the members and the month's entries. */
    lookup: { found: number; entered: number } | null;
    /** 主动发现: the village committee's report that led to the application. */
    discoveryId: string | null;
    /** 举报投诉 about the household, concluded. */
    complaint: { complaintId: string; status: string } | null;
    caseStatus: string | null;
    monitoring: boolean | null;
    notices: string[];
    workflows: string[];
  };
  /** 户2: refused with reasons. */
  refused: {
    applicationId: string | null;
    caseId: string | null;
    status: string | null;
    decidedOn: string | null;
    serveBy: string | null;
    noticeTitle: string | null;
    reasons: string[];
    workflows: string[];
  };
  /** 户3: emergency aid granted at once, paperwork, converted into a regular application. */
  emergency: {
    emergencyId: string | null;
    caseId: string | null;
    status: string | null;
    requestedAmount: number;
    grantedAmount: number | null;
    grantLimit: number | null;
    paperworkDue: string | null;
    notices: string[];
    payments: PaymentView[];
    convertedTo: {
      applicationId: string;
      tier: string;
      status: string | null;
      monthlyAmount: number | null;
    } | null;
    workflows: string[];
  };
  /** Errors that stopped a household's story. */
  failures: string[];
}

/** Nothing happened yet: every field the stories fill in, empty. */
export function emptySummary(): DemoSummary {
  return {
    ok: false,
    realMs: 0,
    virtualStart: new Date().toISOString(),
    virtualEnd: '',
    households: [],
    approved: {
      applicationId: null,
      caseId: null,
      tier: null,
      monthlyAmount: null,
      determinedOn: null,
      nextRecheckDue: null,
      recheck: { outcome: null, reasons: [], confirmedOn: null },
      gradualExit: { months: null, payments: [], total: 0 },
      paidMonths: [],
      demands: [],
      discoveryId: null,
      complaint: null,
      lookup: null,
      caseStatus: null,
      monitoring: null,
      notices: [],
      workflows: [],
    },
    refused: {
      applicationId: null,
      caseId: null,
      status: null,
      decidedOn: null,
      serveBy: null,
      noticeTitle: null,
      reasons: [],
      workflows: [],
    },
    emergency: {
      emergencyId: null,
      caseId: null,
      status: null,
      requestedAmount: 0,
      grantedAmount: null,
      grantLimit: null,
      paperworkDue: null,
      notices: [],
      payments: [],
      convertedTo: null,
      workflows: [],
    },
    failures: [],
  };
}
