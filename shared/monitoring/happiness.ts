/**
 * 幸福清单 — the assistance delivered in a region over a period, summed from the households' chains
 * (一户一条救助链): payments by kind and tier, determinations by tier, the warnings departments
 * answered with what they did, and the special-assistance demands they answered (需求推送). Pure: the entries come from the chain's ledger index
 * (`shared/repositories/monitoring.ts` `ledgerEntries`).
 */

import { toFen, toYuan as yuan } from '../domain/money.ts';
import { specialItemLabels } from '../domain/special-assistance.ts';
import { tierLabels as classifyTierLabels } from '../rules/classify.ts';
import { demandResults, feedbackResults } from '../schemas/warnings.ts';
import { assistanceTypeLabels, departmentLabels, riskTypeLabels } from './vocabulary.ts';

export interface LedgerItem {
  kind: 'payment' | 'determination' | 'warningAnswered' | 'demandAnswered';
  regionCode: string;
  chainId: string;
  at: string;
  tier?: string | undefined;
  paymentKind?: string | undefined;
  amount?: number | undefined;
  riskType?: string | undefined;
  department?: string | undefined;
  result?: string | undefined;
  assistance?: string[] | undefined;
  item?: string | undefined;
}

/** The rules' tier names (`shared/rules/classify.ts`), and emergency aid. */
export const tierLabels: Record<string, string> = { ...classifyTierLabels, emergency: '临时救助' };

export const paymentKindLabels: Record<string, string> = {
  regular: '按月发放',
  gradualExit: '渐退期发放',
  emergencyGrant: '临时救助先行发放',
  emergencyAssessed: '临时救助审核后发放',
};

const label = (labels: Record<string, string>, key: string | undefined) =>
  key === undefined ? '—' : (labels[key] ?? key);
const fen = (yuan: number | undefined) => toFen(yuan ?? 0);

export interface HappinessList {
  regionCode: string;
  from: string;
  to: string;
  totals: {
    households: number;
    payments: number;
    paid: number;
    determinations: number;
    warningsAnswered: number;
    demandsAnswered: number;
  };
  payments: Array<{
    paymentKind: string;
    paymentKindLabel: string;
    tier: string;
    tierLabel: string;
    count: number;
    households: number;
    amount: number;
  }>;
  determinations: Array<{ tier: string; tierLabel: string; count: number }>;
  warningsAnswered: Array<{
    riskType: string;
    riskTypeLabel: string;
    department: string;
    departmentLabel: string;
    result: string;
    resultLabel: string;
    count: number;
    amount: number;
    assistance: Array<{ type: string; label: string; count: number }>;
  }>;
  /** 需求推送: what departments answered, by department, item and result. */
  demandsAnswered: Array<{
    department: string;
    departmentLabel: string;
    item: string;
    itemLabel: string;
    result: string;
    resultLabel: string;
    count: number;
  }>;
  byRegion: Array<{
    regionCode: string;
    households: number;
    payments: number;
    paid: number;
    determinations: number;
    warningsAnswered: number;
    demandsAnswered: number;
  }>;
}

const byKeys = <T>(map: Map<string, T>) =>
  [...map.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([, v]) => v);

export function happinessList(
  entries: readonly LedgerItem[],
  query: { regionCode: string; from: string; to: string },
): HappinessList {
  const payments = new Map<
    string,
    { row: HappinessList['payments'][number]; fen: number; chains: Set<string> }
  >();
  const determinations = new Map<string, HappinessList['determinations'][number]>();
  const answered = new Map<
    string,
    { row: HappinessList['warningsAnswered'][number]; fen: number; assistance: Map<string, number> }
  >();
  const regions = new Map<
    string,
    {
      regionCode: string;
      chains: Set<string>;
      payments: number;
      fen: number;
      determinations: number;
      warningsAnswered: number;
      demandsAnswered: number;
    }
  >();
  const demands = new Map<string, HappinessList['demandsAnswered'][number]>();
  const chains = new Set<string>();
  let paidFen = 0;
  const totals = { payments: 0, determinations: 0, warningsAnswered: 0, demandsAnswered: 0 };

  for (const e of entries) {
    chains.add(e.chainId);
    let region = regions.get(e.regionCode);
    if (!region) {
      region = {
        regionCode: e.regionCode,
        chains: new Set(),
        payments: 0,
        fen: 0,
        determinations: 0,
        warningsAnswered: 0,
        demandsAnswered: 0,
      };
      regions.set(e.regionCode, region);
    }
    region.chains.add(e.chainId);
    switch (e.kind) {
      case 'payment': {
        const kind = e.paymentKind ?? 'regular';
        const tier = e.tier ?? 'emergency';
        const key = `${kind}\u0000${tier}`;
        let p = payments.get(key);
        if (!p) {
          p = {
            row: {
              paymentKind: kind,
              paymentKindLabel: label(paymentKindLabels, kind),
              tier,
              tierLabel: label(tierLabels, tier),
              count: 0,
              households: 0,
              amount: 0,
            },
            fen: 0,
            chains: new Set(),
          };
          payments.set(key, p);
        }
        p.row.count++;
        p.fen += fen(e.amount);
        p.chains.add(e.chainId);
        paidFen += fen(e.amount);
        totals.payments++;
        region.payments++;
        region.fen += fen(e.amount);
        break;
      }
      case 'determination': {
        const tier = e.tier ?? 'otherHardship';
        const d = determinations.get(tier) ?? { tier, tierLabel: label(tierLabels, tier), count: 0 };
        d.count++;
        determinations.set(tier, d);
        totals.determinations++;
        region.determinations++;
        break;
      }
      case 'warningAnswered': {
        const key = `${e.riskType}\u0000${e.department}\u0000${e.result}`;
        let a = answered.get(key);
        if (!a) {
          a = {
            row: {
              riskType: e.riskType ?? '—',
              riskTypeLabel: label(riskTypeLabels, e.riskType),
              department: e.department ?? '—',
              departmentLabel: label(departmentLabels, e.department),
              result: e.result ?? '—',
              resultLabel: label(feedbackResults, e.result),
              count: 0,
              amount: 0,
              assistance: [],
            },
            fen: 0,
            assistance: new Map(),
          };
          answered.set(key, a);
        }
        a.row.count++;
        a.fen += fen(e.amount);
        for (const t of e.assistance ?? []) a.assistance.set(t, (a.assistance.get(t) ?? 0) + 1);
        totals.warningsAnswered++;
        region.warningsAnswered++;
        break;
      }
      case 'demandAnswered': {
        const key = `${e.department}\u0000${e.item}\u0000${e.result}`;
        const d = demands.get(key) ?? {
          department: e.department ?? '—',
          departmentLabel: label(departmentLabels, e.department),
          item: e.item ?? '—',
          itemLabel: label(specialItemLabels, e.item),
          result: e.result ?? '—',
          resultLabel: label(demandResults, e.result),
          count: 0,
        };
        d.count++;
        demands.set(key, d);
        totals.demandsAnswered++;
        region.demandsAnswered++;
        break;
      }
    }
  }

  return {
    regionCode: query.regionCode,
    from: query.from,
    to: query.to,
    totals: { households: chains.size, paid: yuan(paidFen), ...totals },
    payments: byKeys(payments).map((p) => ({ ...p.row, households: p.chains.size, amount: yuan(p.fen) })),
    determinations: byKeys(determinations),
    warningsAnswered: byKeys(answered).map((a) => ({
      ...a.row,
      amount: yuan(a.fen),
      assistance: [...a.assistance.entries()]
        .sort(([x], [y]) => x.localeCompare(y))
        .map(([type, count]) => ({ type, label: label(assistanceTypeLabels, type), count })),
    })),
    demandsAnswered: byKeys(demands),
    byRegion: byKeys(regions).map((r) => ({
      regionCode: r.regionCode,
      households: r.chains.size,
      payments: r.payments,
      paid: yuan(r.fen),
      determinations: r.determinations,
      warningsAnswered: r.warningsAnswered,
      demandsAnswered: r.demandsAnswered,
    })),
  };
}
