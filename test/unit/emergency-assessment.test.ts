/**
 * The assessment of what an emergency request asked beyond the aid paid first: the most still payable
 * (what is left of the household's limit, the small-amount limit not binding it), its notices, and
 * the payment slot that lets it stand beside the grant of the same month.
 */
import { describe, expect, it } from 'vitest';
import { checkLedger, paymentDigest, paymentSlot } from '../../shared/audit.ts';
import { REMEDY } from '../../shared/domain/cases.ts';
import {
  emergencyAssessmentMax,
  emergencyMaxGrant,
  emergencyNotice,
  noticeLimit,
} from '../../shared/domain/lifecycle.ts';

describe('emergencyAssessmentMax', () => {
  it('offers what is left of the household limit, the aid paid first counted, not the small amount', () => {
    expect(
      emergencyAssessmentMax({
        requestedAmount: 3000,
        paidFirst: 1000,
        householdLimit: 5000,
        grantedInPeriod: 1000,
      }),
    ).toEqual({ outstanding: 2000, maxAmount: 4000 });
    // The small amount bound the first grant only.
    expect(
      emergencyMaxGrant({
        requestedAmount: 3000,
        smallAmountLimit: 1000,
        householdLimit: 5000,
        grantedInPeriod: 0,
      }).maxAmount,
    ).toBe(1000);
  });

  it('counts earlier grants to any member, and never goes below zero', () => {
    expect(
      emergencyAssessmentMax({
        requestedAmount: 3000,
        paidFirst: 1000,
        householdLimit: 5000,
        grantedInPeriod: 4600,
      }),
    ).toEqual({ outstanding: 2000, maxAmount: 400 });
    expect(
      emergencyAssessmentMax({
        requestedAmount: 3000,
        paidFirst: 1000,
        householdLimit: 5000,
        grantedInPeriod: 5200,
      }),
    ).toEqual({ outstanding: 2000, maxAmount: 0 });
  });

  it('finds nothing outstanding when the request was paid first in full', () => {
    expect(
      emergencyAssessmentMax({
        requestedAmount: 800,
        paidFirst: 800,
        householdLimit: 5000,
        grantedInPeriod: 800,
      }).outstanding,
    ).toBe(0);
  });

  it('counts to the fen', () => {
    expect(
      emergencyAssessmentMax({
        requestedAmount: 0.3,
        paidFirst: 0.1,
        householdLimit: 0.3,
        grantedInPeriod: 0.1,
      }),
    ).toEqual({ outstanding: 0.2, maxAmount: 0.2 });
  });
});

describe('the assessment notices', () => {
  const common = {
    noticeId: 'notice-1',
    decidedAt: '2026-11-20T02:00:00.000Z',
    serveBy: { deadline: '2026-11-25', provisional: false },
    amount: 1000,
    requestedAmount: 3000,
  };

  it('states the amount assessed and the total granted', () => {
    const notice = emergencyNotice({
      ...common,
      outcome: 'assessed',
      assessedAmount: 1500,
      reasons: ['属实'],
    });
    expect(notice.kind).toBe('emergencyAssessed');
    expect(notice.body).toContain('先行发放的1,000.00元予以确认');
    expect(notice.body).toContain('再给予临时救助1,500.00元，本次共给予临时救助2,500.00元');
    expect(notice.body).not.toContain(REMEDY);
    expect(noticeLimit(notice.kind)).toBe('approvalNoticeWorkingDays');
  });

  it('refuses the rest with reasons and the remedy, within the refusal limit', () => {
    const notice = emergencyNotice({
      ...common,
      outcome: 'assessmentRefused',
      reasons: ['先行救助足以渡过急难'],
    });
    expect(notice.kind).toBe('emergencyAssessmentRefused');
    expect(notice.body).toContain('超出先行救助的部分（2,000.00元）不予救助');
    expect(notice.body).toContain(REMEDY);
    expect(notice.reasons).toEqual(['先行救助足以渡过急难']);
    expect(noticeLimit(notice.kind)).toBe('refusalNoticeWorkingDays');
  });
});

describe('payment slots', () => {
  it('put the assessed amount beside the grant of the same month, and the ledger check tells them apart', () => {
    expect(paymentSlot({ month: '2026-11', kind: 'emergencyGrant' })).toBe('2026-11');
    expect(paymentSlot({ month: '2026-11', kind: 'emergencyAssessed' })).toBe('2026-11#emergencyAssessed');
    const payment = {
      caseId: 'case-1',
      month: '2026-11',
      tier: 'emergency',
      basis: 'x',
      executionArn: 'arn',
      recordedAt: '2026-11-20T02:00:00.000Z',
    };
    const grant = { ...payment, kind: 'emergencyGrant' as const, amount: 1000 };
    const assessed = { ...payment, kind: 'emergencyAssessed' as const, amount: 1500 };
    // Only what checkLedger reads of an entry.
    const entry = (seq: number, refs: Record<string, string>) =>
      ({ seq, action: 'payment.recorded', refs, summary: '' }) as never;
    const entries = [
      entry(1, { month: '2026-11', paymentDigest: paymentDigest(grant) }),
      entry(2, {
        month: '2026-11',
        slot: '2026-11#emergencyAssessed',
        paymentDigest: paymentDigest(assessed),
      }),
    ];
    expect(checkLedger(entries, new Map(), [grant, assessed])).toMatchObject({ holds: true, payments: 2 });
    // The assessed amount changed after the fact: found.
    expect(checkLedger(entries, new Map(), [grant, { ...assessed, amount: 2500 }]).holds).toBe(false);
  });
});
