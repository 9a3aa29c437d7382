/**
 * The register as the comparison sees it: what the register knows of a person's household, how a lookup
 * finds it, and the export's record definition. Kept apart from the in-memory index because a Lambda
 * answers the same lookup from DynamoDB, the register upload (PUT /admin/register, register:load)
 * validates the same definition, and every part must agree on one meaning of "inside assistance".
 */
import type { RecordDefinition } from '../feeds/specs.ts';
import {
  type AssistanceType,
  assistanceTypeLabels,
  type RegisterStatus,
  type RegisterTier,
  registerStatusLabels,
  registerTierLabels,
} from '../indicators.ts';

/** Another household that lists the same person (a person should be in one household only). */
export interface OtherHousehold {
  householdId: string;
  caseId: string | null;
  regionCode: string;
  tier: RegisterTier;
  status: RegisterStatus;
}

/** What the register knows of a person's household. */
export interface RegisterEntry {
  householdId: string;
  caseId: string | null;
  /** The household's county: its indicators apply. */
  regionCode: string;
  tier: RegisterTier;
  status: RegisterStatus;
  memberCount: number;
  /** The members' ID numbers, where the source keeps them (the compact index keeps only the count). */
  memberIds?: readonly string[];
  /** 家庭人均月收入（元） at the last determination or recheck. */
  perCapitaMonthlyIncome: number;
  /** 正在享受的救助项目 */
  assistance: readonly AssistanceType[];
  /** Other households on the register that also list this person. */
  alsoIn?: readonly OtherHousehold[];
}

/** Finds a person's household; a Lambda backs it with DynamoDB (a person → household item). */
export type RegisterLookup = (
  idNumber: string,
) => RegisterEntry | undefined | Promise<RegisterEntry | undefined>;

/** A household as the register export (CSV or JSON Lines) has it. */
export interface RegisterRecord {
  householdId: string;
  caseId?: string | undefined;
  regionCode: string;
  tier: RegisterTier;
  status: RegisterStatus;
  perCapitaMonthlyIncome: number;
  members: string[];
  assistance?: AssistanceType[] | undefined;
}

/**
 * The register export: one household per line; in CSV `members` and `assistance` are `;`-separated.
 * Columns: householdId,caseId,regionCode,tier,status,perCapitaMonthlyIncome,members,assistance.
 */
export const registerDefinition: RecordDefinition<RegisterRecord> = {
  name: 'register',
  fields: [
    {
      name: 'householdId',
      label: '户编号',
      type: { kind: 'recordId' },
      required: true,
      description: '家庭（户）编号',
    },
    {
      name: 'caseId',
      label: '案件编号',
      type: { kind: 'recordId' },
      required: false,
      description: '救助案件编号（一户一条救助链）',
    },
    {
      name: 'regionCode',
      label: '行政区划代码',
      type: { kind: 'regionCode' },
      required: true,
      description: '家庭所在县级行政区划代码',
    },
    {
      name: 'tier',
      label: '救助类别',
      type: { kind: 'enum', values: registerTierLabels },
      required: true,
      description: '救助类别；none 为在册但未在保',
    },
    {
      name: 'status',
      label: '状态',
      type: { kind: 'enum', values: registerStatusLabels },
      required: true,
      description: '在保、渐退期、退出后监测、已退出、已终止',
    },
    {
      name: 'perCapitaMonthlyIncome',
      label: '家庭人均月收入',
      type: { kind: 'yuan' },
      required: true,
      description: '最近一次认定或核查的家庭人均月收入（元）',
    },
    {
      name: 'members',
      label: '家庭成员',
      type: { kind: 'idNumberList' },
      required: true,
      description: '家庭成员身份证号码',
    },
    {
      name: 'assistance',
      label: '救助项目',
      type: { kind: 'enumList', values: assistanceTypeLabels },
      required: false,
      description: '正在享受的救助项目',
    },
  ],
  check: (r) => {
    // Households are small: a double loop beats allocating a Set per line.
    const m = r.members;
    for (let i = 1; i < m.length; i++)
      for (let j = 0; j < i; j++)
        if (m[i] === m[j]) return { field: 'members', message: '家庭成员身份证号码重复' };
    return undefined;
  },
};

/** Inside assistance: covered in a tier, and either in payment or in its gradual exit. */
export function isInside(e: Pick<RegisterEntry, 'tier' | 'status'>): boolean {
  return e.tier !== 'none' && (e.status === 'active' || e.status === 'gradualExit');
}
