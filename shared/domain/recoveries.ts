/**
 * 追回 — money a household must return: paid too much because a change was reported late (民发〔2021〕
 * 57号第三十条: the household reports changes at once), or obtained by deception (社会救助法第七十三条:
 * 责令退回非法获取的财物). The county orders it with a written notice stating the remedy (第七十六条);
 * it is then deducted from later payments, at most a share of each (`recoveryDeductionShare`), or
 * repaid by the household, each step an entry on the case's ledger.
 */
import { type Notice, withRemedy } from './cases.ts';
import { fenText, toFen } from './money.ts';

export const recoveryGrounds = ['overpayment', 'fraud'] as const;
export type RecoveryGround = (typeof recoveryGrounds)[number];

export const recoveryGroundLabels: Record<RecoveryGround, string> = {
  overpayment: '家庭状况变化未及时告知，多发救助金',
  fraud: '以虚报、隐瞒、伪造等手段骗取救助金',
};

export const recoveryMethods = ['deduct', 'repay'] as const;
export type RecoveryMethod = (typeof recoveryMethods)[number];

export interface RecoveryOrder {
  recoveryId: string;
  caseId: string;
  ground: RecoveryGround;
  /** Yuan ordered returned. */
  amount: number;
  /** Yuan still to return. */
  outstanding: number;
  method: RecoveryMethod;
  reason: string;
  /** The decision that ordered it: its document number and date. */
  documentNumber: string;
  decidedOn: string;
  noticeId: string;
  recordedBy: { subject: string; name: string; role: string };
  recordedAt: string;
  /** Deducted by each roll (roll id → yuan), once each. */
  deductions: Record<string, number>;
  /** Repaid by the household, each with its receipt. */
  repayments: Array<{
    repaymentId: string;
    amount: number;
    paidOn: string;
    receipt: string;
    recordedAt: string;
  }>;
}

const CLAUSE: Record<RecoveryGround, string> = {
  overpayment: '民发〔2021〕57号第三十条（家庭人口、收入和财产状况发生变化的，应当及时告知）',
  fraud: '《中华人民共和国社会救助法》第七十三条（责令退回非法获取的财物和利益）',
};

/** The written notice of the order, with the remedy: the household may challenge it. */
export function recoveryNotice(order: Omit<RecoveryOrder, 'noticeId'>, noticeId: string): Notice<'recovery'> {
  const how =
    order.method === 'deduct'
      ? '自以后月份的救助金中分期扣回，每月扣回不超过当月应发金额的规定比例，直至扣完'
      : '由您家退回，请按县级民政部门告知的方式办理';
  return withRemedy({
    noticeId,
    kind: 'recovery',
    title: '追回救助金决定书',
    body: `经核实，您家${recoveryGroundLabels[order.ground]}，依据${CLAUSE[order.ground]}，决定追回救助金${fenText(toFen(order.amount))}（${order.documentNumber}，${order.decidedOn}），${how}。`,
    reasons: [order.reason],
    decidedAt: order.recordedAt,
    serveBy: order.decidedOn,
  });
}

/**
 * What one roll line deducts for the case's orders: at most `share` of the line's gross amount in all,
 * each order (oldest first) no more than it still owes less what rolls in transit already deduct.
 */
export function deductions(
  grossYuan: number,
  share: number,
  orders: ReadonlyArray<Pick<RecoveryOrder, 'recoveryId' | 'outstanding' | 'method'>>,
  inTransit: ReadonlyMap<string, number> = new Map(),
): Array<{ recoveryId: string; amount: number }> {
  let capFen = Math.floor(toFen(grossYuan) * share);
  const out: Array<{ recoveryId: string; amount: number }> = [];
  for (const o of orders) {
    if (o.method !== 'deduct' || capFen <= 0) continue;
    const owed = toFen(o.outstanding) - toFen(inTransit.get(o.recoveryId) ?? 0);
    const fen = Math.min(owed, capFen);
    if (fen <= 0) continue;
    out.push({ recoveryId: o.recoveryId, amount: fen / 100 });
    capFen -= fen;
  }
  return out;
}

/** An order as the household, staff and auditors read it: who recorded it stays in the audit log. */
export const shownRecovery = ({ caseId: _c, recordedBy: _b, ...order }: RecoveryOrder) => ({
  ...order,
  groundLabel: recoveryGroundLabels[order.ground],
});
