/**
 * 分类推送: what a department's queue receives for a warning, and what the supervisors' queue receives
 * when a warning goes unanswered past its due date. Pure.
 *
 * A message carries what the department needs to act and to answer (`POST /warnings/{warningId}/feedback`):
 * the ids, the risk type, the person masked (区划 + 后四位), the source record's number in its own
 * department's system, the Chinese message with the values and thresholds compared, and the feedback due
 * date. No name, no full ID number, no income or health detail beyond what the warning states.
 */
import type { Warning } from './compare/warnings.ts';
import { departmentLabels, riskTypeLabels } from './vocabulary.ts';

export interface WarningPush {
  type: 'warningPushed' | 'warningEscalated';
  warningId: string;
  riskType: Warning['riskType'];
  riskTypeLabel: string;
  cause: Warning['cause'];
  department: Warning['department'];
  departmentLabel: string;
  regionCode: string;
  householdId: string | null;
  caseId: string | null;
  source: Warning['source'];
  recordId: string | null;
  eventDate: string | null;
  subject: string | null;
  message: string;
  homeCheck: boolean;
  /** 反馈期限 (working days from the push; after an escalation, the supervisors' new due date). */
  dueDate: string;
  /** 0 for the first push, n for the n-th escalation. */
  escalation: number;
  sentAt: string;
}

export function pushMessage(
  w: Pick<
    Warning,
    | 'warningId'
    | 'riskType'
    | 'cause'
    | 'department'
    | 'regionCode'
    | 'householdId'
    | 'caseId'
    | 'source'
    | 'recordId'
    | 'eventDate'
    | 'subject'
    | 'message'
    | 'homeCheck'
  >,
  dueDate: string,
  escalation: number,
  sentAt: string,
): WarningPush {
  return {
    type: escalation > 0 ? 'warningEscalated' : 'warningPushed',
    warningId: w.warningId,
    riskType: w.riskType,
    riskTypeLabel: riskTypeLabels[w.riskType],
    cause: w.cause,
    department: w.department,
    departmentLabel: departmentLabels[w.department],
    regionCode: w.regionCode,
    householdId: w.householdId,
    caseId: w.caseId,
    source: w.source,
    recordId: w.recordId,
    eventDate: w.eventDate,
    subject: w.subject,
    message:
      escalation > 0
        ? `【督办：逾期未反馈（第${escalation}次），请于${dueDate}前反馈】${w.message}`
        : w.message,
    homeCheck: w.homeCheck,
    dueDate,
    escalation,
    sentAt,
  };
}

/**
 * The household's assistance chain (一户一条救助链) a warning joins: its case's, else its register
 * household's, else — a person on no household of the register — the person's own (by the blind index
 * of the ID number, never the number).
 */
export function chainIdOf(
  w: Pick<Warning, 'caseId' | 'householdId'>,
  personIndex: string | undefined,
): string {
  if (w.caseId) return w.caseId;
  if (w.householdId) return `household-${w.householdId}`;
  if (!personIndex) throw new Error('a warning about nobody on the register needs the person’s blind index');
  return `person-${personIndex.slice(0, 32)}`;
}
