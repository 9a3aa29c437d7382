/**
 * SAMPLE DATA — 示例数据，非官方数值。
 *
 * Parameters for one Hunan county (长沙县 430121, under 湖南省 430000) and one Henan county (中牟县
 * 410122, under 郑州市 410100 and 河南省 410000), so that the system runs end to end before an
 * administrator loads the real, published values through `PUT /admin/parameters/{regionCode}`.
 * The amounts are plausible in size but are NOT the published standards of these regions; every
 * version below has `sampleData: true`, which every decision made with it carries.
 *
 * Beside each value is the clause that empowers the region to set it (or, where the value itself is
 * national, the clause that fixes it).
 */
import type { SpecialTier } from '../domain/special-assistance.ts';
import type { ParameterVersion } from './index.ts';

const SAMPLE = '示例数据（非官方数值，仅供开发、测试和演示）';

const C = {
  dibaoStandard:
    '《社会救助暂行办法》（国务院令第649号）第十条：低保标准由省级或设区的市级人民政府确定、公布',
  tekunBasicLivingStandard:
    '《国务院关于进一步健全特困人员救助供养制度的意见》（国发〔2016〕14号）：基本生活标准由省级或设区的市级人民政府确定、公布',
  marginalMultiple: '国办发〔2023〕39号：低保边缘家庭为家庭人均收入低于当地低保标准1.5倍（各地可适当提高）',
  priorYearDisposableIncome:
    '国办发〔2023〕39号：刚性支出困难家庭的收入线为上年度当地居民人均可支配收入（统计部门公布）',
  rigidExpenseRatio: '国办发〔2023〕39号：最近12个月内医疗、教育等刚性支出占家庭总收入比例超过当地规定比例',
  employmentCostDeduction:
    '民发〔2021〕57号《最低生活保障审核确认办法》第三章：核算家庭收入时可扣减必要的就业成本',
  excludedIncomeKinds:
    '民发〔2021〕57号《最低生活保障审核确认办法》第十三条：优待抚恤金、计划生育奖励与扶助金、奖学金、见义勇为等奖励性补助，政府发放的各类社会救助款物，城乡居民基本养老保险基础养老金不计入家庭收入（低保、低保边缘、刚性支出）；民发〔2021〕43号《特困人员认定办法》第六条：基础养老金、基本医疗保险等社会保险和优待抚恤金、高龄津贴不计入（特困）',
  tekunCareStandards:
    '《社会救助法》第十七条：特困人员照料护理标准由省级或设区的市级人民政府确定；民发〔2021〕43号第二十二条：按生活自理能力分档（示例值）',
  dibaoIncrements:
    '《社会救助法》第二十条：对领取低保金后生活仍有特殊困难的老年人、未成年人、重度残疾人、重病患者给予必要的生活保障（增发金额为示例值）',
  dibaoAmountMethod: '《社会救助法》第十八条：按实际差额发放，也可以分档定额发放',
  rigidLivingExpense:
    '《刚性支出困难家庭认定办法》第五条（一）：生活支出；第十三条：各地制定具体认定办法（示例：不另计生活支出）',
  illnessDisabilityDeduction:
    '民发〔2021〕57号《最低生活保障审核确认办法》第十三条末款：因残疾、患重病等增加的刚性支出可按规定适当扣减（示例：不扣减）',
  assetLimits:
    '民发〔2021〕57号《最低生活保障审核确认办法》第三章：家庭财产状况规定由县级以上地方民政部门制定',
  personCriteria:
    '民发〔2021〕43号《特困人员认定办法》第五条：无劳动能力的认定（60周岁以上、未满16周岁、智力和精神残疾一至三级、肢体残疾一至二级、视力残疾一级）；《社会救助法》第十六条：特困未成年人年满18周岁仍在义务教育或高中阶段就学的继续供养；民发〔2021〕57号第八条：一级、二级为重度残疾',
  recheckMonths:
    '民发〔2021〕57号《最低生活保障审核确认办法》第五章：特困人员、收入稳定的低保家庭每年核查，收入来源不固定、成员有劳动能力的低保家庭每半年核查；国办发〔2023〕39号：低保边缘家庭、刚性支出困难家庭年度复核',
  gradualExitMonths:
    '民发〔2021〕57号《最低生活保障审核确认办法》第三十三条：就业后家庭人均收入超过低保标准的，可以给予一定时间的渐退期',
  emergencySmallAmount:
    '《社会救助法》第五十条：情况紧急、救助金额较小、需立即采取救助措施的，应当先行救助；民发〔2018〕23号：急难情形小金额先行救助',
  emergencySmallAmountCeiling:
    '《社会救助法》第五十条：先行救助限于救助金额较小的情形；“较小”的封顶由省级民政部门确定（示例值）',
  emergencyHouseholdLimit:
    '《社会救助法》第二十九条：临时救助解决基本生活暂时出现的严重困难；同一家庭一定期限内的累计救助额由地方确定（示例值）',
  amountRounding: '《社会救助暂行办法》第十三条：按人均收入低于低保标准的差额按月发给；取整办法由地方规定',
  amountFloorPerPerson: '《社会救助暂行办法》第十三条：差额发放；保底金额由地方规定',
  timeLimits:
    '民发〔2021〕57号《最低生活保障审核确认办法》第四章：公示7天、公示无异议后10个工作日内确认、不予确认的3个工作日内书面告知、受理之日起3个工作日内启动家庭经济状况调查、30个工作日内完成审核确认（特殊情况可延长至45个工作日）；乡镇审核时限和确认通知时限为示例值；《社会救助法》第四十八条：调减、终止前听取意见（陈述期限为示例值）；第四十五条：公布确认决定（公布天数为示例值）；民发〔2021〕43号《特困人员认定办法》第十三条、第十六条：乡镇15个工作日、县级15个工作日、随机抽查不低于30%',
  decisionAuthority:
    '《社会救助法》第四十四条：乡镇人民政府、街道办事处提出审核意见，县级人民政府社会救助管理部门作出确认决定；省级人民政府可以规定由乡镇、街道作出',
  paymentStart:
    '民发〔2021〕57号第二十一条：从作出确认同意决定之日下月起发放；43号第十七条：从确认之日下月起给予救助供养待遇',
  recoveryDeductionShare: '默认每月扣回不超过当月应发金额的30%；县级民政部门可另行设定',
  payrollDay: '默认每月5日；县级民政部门可按本地发放安排设定',
  suspendDuringHearing:
    '《社会救助法》第四十八条：调减、终止前听取意见，决定作出前照常发放（省级可规定暂停）',
  bankFileLayout: '默认格式；县级民政部门可按代发银行的要求设定',
  specialAssistance:
    '《社会救助法》第二十四条至第二十七条：特困人员、低保家庭、低保边缘家庭、刚性支出困难家庭按规定给予医疗、教育、住房、就业救助；资助比例、救助比例和限额为示例值',
} as const;

type Values = ParameterVersion['values'];
type Entry<K extends keyof Values> = NonNullable<Values[K]>['value'];

function cite<K extends keyof Values>(name: K, value: Entry<K>, clause: string = C[name]): Values[K] {
  return { value, clause } as Values[K];
}

const standardAssetLimits = (
  depositMultiple: number,
  vehicles: number,
  vehicleValue: number | null,
  housing: number,
) => ({
  deposits: {
    kind: 'multipleOfAnnualDibaoStandard' as const,
    multiple: depositMultiple,
    basis: 'perCapita' as const,
  },
  maxNonExemptVehicles: vehicles,
  maxNonExemptVehicleValue: vehicleValue,
  maxHousingUnits: housing,
});

const nationalTimeLimits = {
  publicNoticeDays: 7,
  // Not fixed nationally: a sample split of the 30-working-day total between township and county.
  townshipReviewWorkingDays: 15,
  determinationWorkingDays: 10,
  refusalNoticeWorkingDays: 3,
  // Not fixed nationally: sample value, the same as a refusal's.
  approvalNoticeWorkingDays: 3,
  alternativeDeterminationWorkingDays: 3,
  reviewWorkingDays: 30,
  reviewExtendedWorkingDays: 45,
  // 民发〔2021〕57号 第十五条.
  investigationStartWorkingDays: 3,
  // Not fixed nationally (社会救助法第四十八条 requires the hearing, not its length): sample value.
  hearingWorkingDays: 5,
  // Not fixed nationally (第四十五条 requires the publication, not its length): sample value.
  publicationDays: 30,
  // 民发〔2021〕43号 第十三条、第十六条.
  tekunTownshipWorkingDays: 15,
  tekunCountyWorkingDays: 15,
  tekunHomeCheckShare: 0.3,
  // Not fixed nationally: the usual provincial period after a member's death (docs/architecture.md §7).
  deathRecheckMonths: 3,
};

const ALL_TIERS: SpecialTier[] = ['tekun', 'dibao', 'singlePersonDibao', 'marginal', 'rigidExpense'];

/**
 * The special-assistance table (社会救助法第二十四至二十七条) with a province's figures: the premium share
 * paid by tier, the medical-assistance ratio and yearly cap by tier. The rest follows the law's text;
 * the figures are sample values.
 */
function specialAssistanceRows(f: {
  premium: { tekun: number; dibao: number; marginal: number };
  medical: { tekun: number; dibao: number; marginal: number; rigidExpense: number; annualCap: number };
}): Entry<'specialAssistance'> {
  const pct = (r: number) => `${Math.round(r * 100)}%`;
  const premium =
    '《社会救助法》第二十四条第二款：参加城乡居民基本医疗保险的个人缴费部分给予资助（资助比例为示例值）';
  const medical =
    '《社会救助法》第二十四条第一款、第三款：经基本医疗保险、大病保险等支付后的基本医疗自负费用按规定给予补助（比例和年度限额为示例值）';
  const premiumRow = (tiers: SpecialTier[], share: number) => ({
    item: 'medicalPremium' as const,
    tiers,
    recipients: { kind: 'everyMember' as const },
    benefit: `个人缴费部分资助${pct(share)}`,
    share,
    clause: premium,
  });
  const medicalRow = (tiers: SpecialTier[], ratio: number) => ({
    item: 'medicalAssistance' as const,
    tiers,
    recipients: { kind: 'everyMember' as const },
    benefit: `政策范围内个人自付费用按${pct(ratio)}救助，年度限额${f.medical.annualCap.toLocaleString('en')}元`,
    ratio,
    annualCap: f.medical.annualCap,
    clause: medical,
  });
  const education =
    '《社会救助法》第二十五条：学前教育至普通高等教育阶段，减免相关费用、发放助学金和生活补助等';
  const schooling = (stages: Array<'compulsory' | 'seniorSecondary' | 'higher'>, benefit: string) => ({
    item: 'educationAssistance' as const,
    tiers: ALL_TIERS,
    recipients: { kind: 'schooling' as const, stages },
    benefit,
    clause: education,
  });
  const housing =
    '《社会救助法》第二十六条：住房困难的分散供养特困人员、低保、低保边缘、刚性支出困难家庭给予住房救助';
  return [
    premiumRow(['tekun'], f.premium.tekun),
    premiumRow(['dibao', 'singlePersonDibao'], f.premium.dibao),
    premiumRow(['marginal'], f.premium.marginal),
    medicalRow(['tekun'], f.medical.tekun),
    medicalRow(['dibao', 'singlePersonDibao'], f.medical.dibao),
    medicalRow(['marginal'], f.medical.marginal),
    medicalRow(['rigidExpense'], f.medical.rigidExpense),
    schooling(['compulsory'], '义务教育阶段发放生活补助'),
    schooling(['seniorSecondary'], '免除学杂费，发放国家助学金'),
    schooling(['higher'], '发放助学金，提供勤工助学岗位和助学贷款'),
    {
      item: 'housingAssistance',
      tiers: ALL_TIERS,
      recipients: { kind: 'housingDifficulty', residence: 'urban' },
      benefit: '优先配租公租房或发放公租房租赁补贴',
      clause: housing,
    },
    {
      item: 'housingAssistance',
      tiers: ALL_TIERS,
      recipients: { kind: 'housingDifficulty', residence: 'rural' },
      benefit: '通过农村危房改造等方式优先给予住房救助',
      clause: housing,
    },
    {
      item: 'employmentAssistance',
      tiers: ['dibao', 'singlePersonDibao', 'marginal', 'rigidExpense'],
      recipients: { kind: 'unemployedAbleToWork', minAge: 16, maxAge: 59 },
      benefit: '推荐就业岗位、职业培训；仍无法就业且符合就业困难人员条件的，公益性岗位安置',
      clause: '《社会救助法》第二十七条：有劳动能力且处于失业状态的成员给予就业救助',
    },
    {
      item: 'disabilitySubsidy',
      tiers: ['dibao', 'singlePersonDibao'],
      recipients: { kind: 'disabled', grades: [1, 2, 3, 4] },
      benefit: '发放困难残疾人生活补贴',
      clause: '困难残疾人生活补贴：低保家庭中的残疾人（地方规定，示例值）',
    },
  ];
}

/** Values a province sets for both residences alike. */
function provinceCommon(opts: {
  basis: string;
  rigidExpenseRatio: number;
  employmentCostDeduction: number;
  gradualExitMonths: number;
  emergencySmallAmount: number;
  emergencySmallAmountCeiling: number;
  emergencyHouseholdLimit: Entry<'emergencyHouseholdLimit'>;
  amountRounding: Entry<'amountRounding'>;
  amountFloorPerPerson: number | null;
  timeLimits: Entry<'timeLimits'>;
  tekunCareStandards: Entry<'tekunCareStandards'>;
  dibaoIncrements: Entry<'dibaoIncrements'>;
  specialAssistance: Entry<'specialAssistance'>;
}): Values {
  return {
    marginalMultiple: cite('marginalMultiple', 1.5, `${C.marginalMultiple}；${opts.basis}`),
    rigidExpenseRatio: cite(
      'rigidExpenseRatio',
      opts.rigidExpenseRatio,
      `${C.rigidExpenseRatio}；${opts.basis}`,
    ),
    employmentCostDeduction: cite('employmentCostDeduction', opts.employmentCostDeduction),
    excludedIncomeKinds: cite('excludedIncomeKinds', {
      dibao: ['specialCare', 'familyPlanning', 'scholarship', 'heroicReward', 'assistance', 'basicPension'],
      tekun: ['basicPension', 'specialCare', 'allowance'],
    }),
    assetLimits: cite('assetLimits', {
      tekun: standardAssetLimits(2, 0, null, 1),
      dibao: standardAssetLimits(2, 0, null, 1),
      marginal: standardAssetLimits(3, 1, 50_000, 1),
      rigidExpense: standardAssetLimits(4, 1, 80_000, 2),
    }),
    personCriteria: cite('personCriteria', {
      elderlyFromAge: 60,
      minorBelowAge: 16,
      adultAge: 18,
      severeDisabilityGrades: [1, 2],
      noLabourCapacityDisabilities: [
        { category: 'intellectual', upToGrade: 3 },
        { category: 'mental', upToGrade: 3 },
        { category: 'physical', upToGrade: 2 },
        { category: 'visual', upToGrade: 1 },
      ],
      adultSevereDisabilityAlone: false,
    }),
    tekunCareStandards: cite('tekunCareStandards', opts.tekunCareStandards),
    dibaoIncrements: cite('dibaoIncrements', opts.dibaoIncrements),
    dibaoAmountMethod: cite('dibaoAmountMethod', { kind: 'gap' }),
    rigidLivingExpense: cite('rigidLivingExpense', { kind: 'none' }),
    illnessDisabilityDeduction: cite('illnessDisabilityDeduction', false),
    recheckMonths: cite('recheckMonths', {
      tekun: 12,
      dibaoStable: 12,
      dibaoUnstable: 6,
      singlePersonDibao: 12,
      marginal: 12,
      rigidExpense: 12,
    }),
    gradualExitMonths: cite(
      'gradualExitMonths',
      opts.gradualExitMonths,
      `${C.gradualExitMonths}；${opts.basis}`,
    ),
    emergencySmallAmount: cite('emergencySmallAmount', opts.emergencySmallAmount),
    emergencySmallAmountCeiling: cite(
      'emergencySmallAmountCeiling',
      opts.emergencySmallAmountCeiling,
      `${C.emergencySmallAmountCeiling}；${opts.basis}`,
    ),
    emergencyHouseholdLimit: cite('emergencyHouseholdLimit', opts.emergencyHouseholdLimit),
    amountRounding: cite('amountRounding', opts.amountRounding),
    amountFloorPerPerson: cite('amountFloorPerPerson', opts.amountFloorPerPerson),
    timeLimits: cite('timeLimits', opts.timeLimits, `${C.timeLimits}；${opts.basis}`),
    decisionAuthority: cite('decisionAuthority', { level: 'county' }),
    specialAssistance: cite(
      'specialAssistance',
      opts.specialAssistance,
      `${C.specialAssistance}；${opts.basis}`,
    ),
  };
}

/** Values that differ between urban and rural residents. */
function byResidence(v: { dibao: number; tekun: number; disposable: number }, basis: string): Values {
  return {
    dibaoStandard: cite('dibaoStandard', v.dibao, `${C.dibaoStandard}；${basis}`),
    tekunBasicLivingStandard: cite(
      'tekunBasicLivingStandard',
      v.tekun,
      `${C.tekunBasicLivingStandard}；${basis}`,
    ),
    priorYearDisposableIncome: cite(
      'priorYearDisposableIncome',
      v.disposable,
      `${C.priorYearDisposableIncome}；${basis}`,
    ),
  };
}

function version(
  regionCode: string,
  residence: 'urban' | 'rural',
  effectiveFrom: string,
  basis: string,
  values: Values,
): ParameterVersion {
  return { regionCode, residence, effectiveFrom, basis: `${SAMPLE}；${basis}`, sampleData: true, values };
}

// 湖南省 — 湘政办发〔2024〕30号 sets the provincial framework; the amounts are sample values.
const HUNAN = '湘政办发〔2024〕30号';
const hunanCommon = provinceCommon({
  basis: HUNAN,
  rigidExpenseRatio: 1,
  employmentCostDeduction: 300,
  gradualExitMonths: 6,
  emergencySmallAmount: 1_000,
  emergencySmallAmountCeiling: 3_000,
  emergencyHouseholdLimit: { amount: 5_000, months: 12 },
  amountRounding: { unit: 'yuan', mode: 'halfUp' },
  amountFloorPerPerson: 30,
  timeLimits: nationalTimeLimits,
  tekunCareStandards: { fullSelfCare: 120, partialLoss: 360, fullLoss: 900 },
  // 80 and over: the increments reach the very old only, as many provinces' 分类施保 rules do.
  specialAssistance: specialAssistanceRows({
    premium: { tekun: 1, dibao: 0.7, marginal: 0.5 },
    medical: { tekun: 0.9, dibao: 0.7, marginal: 0.6, rigidExpense: 0.5, annualCap: 30_000 },
  }),
  dibaoIncrements: {
    elderlyFromAge: 80,
    elderly: 50,
    minor: 50,
    severeDisability: 100,
    seriousIllness: 100,
    combine: 'highest',
  },
});

// 河南省 — 豫政办〔2022〕103号; Henan's own procedure shortens the review to 25 (extended 40) working days.
const HENAN = '豫政办〔2022〕103号';
const henanCommon = provinceCommon({
  basis: HENAN,
  rigidExpenseRatio: 0.6,
  employmentCostDeduction: 200,
  gradualExitMonths: 6,
  emergencySmallAmount: 2_000,
  emergencySmallAmountCeiling: 5_000,
  emergencyHouseholdLimit: { amount: 8_000, months: 12 },
  amountRounding: { unit: 'jiao', mode: 'up' },
  amountFloorPerPerson: null,
  timeLimits: {
    ...nationalTimeLimits,
    townshipReviewWorkingDays: 12,
    reviewWorkingDays: 25,
    reviewExtendedWorkingDays: 40,
  },
  tekunCareStandards: { fullSelfCare: 100, partialLoss: 300, fullLoss: 800 },
  specialAssistance: specialAssistanceRows({
    premium: { tekun: 1, dibao: 0.6, marginal: 0.4 },
    medical: { tekun: 0.9, dibao: 0.65, marginal: 0.55, rigidExpense: 0.5, annualCap: 25_000 },
  }),
  dibaoIncrements: {
    elderlyFromAge: 70,
    elderly: 40,
    minor: 40,
    severeDisability: 80,
    seriousIllness: 80,
    combine: 'highest',
  },
});

export const sampleParameterVersions: ParameterVersion[] = [
  // 湖南省 430000
  version('430000', 'urban', '2025-01-01', HUNAN, {
    ...hunanCommon,
    ...byResidence({ dibao: 680, tekun: 884, disposable: 49_243 }, HUNAN),
  }),
  version('430000', 'rural', '2025-01-01', HUNAN, {
    ...hunanCommon,
    ...byResidence({ dibao: 520, tekun: 676, disposable: 20_921 }, HUNAN),
  }),
  version('430000', 'urban', '2026-01-01', HUNAN, {
    ...hunanCommon,
    ...byResidence({ dibao: 720, tekun: 936, disposable: 51_000 }, HUNAN),
  }),
  version('430000', 'rural', '2026-01-01', HUNAN, {
    ...hunanCommon,
    ...byResidence({ dibao: 560, tekun: 728, disposable: 22_000 }, HUNAN),
  }),
  // 长沙县 430121 overrides the standards and the local disposable income only.
  version(
    '430121',
    'urban',
    '2025-07-01',
    '长沙县城乡低保标准调整（示例）',
    byResidence({ dibao: 900, tekun: 1_170, disposable: 62_000 }, '长沙县（示例）'),
  ),
  version(
    '430121',
    'rural',
    '2025-07-01',
    '长沙县城乡低保标准调整（示例）',
    byResidence({ dibao: 850, tekun: 1_105, disposable: 45_000 }, '长沙县（示例）'),
  ),
  version(
    '430121',
    'urban',
    '2026-01-01',
    '长沙县城乡低保标准调整（示例）',
    byResidence({ dibao: 950, tekun: 1_235, disposable: 65_000 }, '长沙县（示例）'),
  ),
  version(
    '430121',
    'rural',
    '2026-01-01',
    '长沙县城乡低保标准调整（示例）',
    byResidence({ dibao: 900, tekun: 1_170, disposable: 47_000 }, '长沙县（示例）'),
  ),

  // 河南省 410000
  version('410000', 'urban', '2025-01-01', HENAN, {
    ...henanCommon,
    ...byResidence({ dibao: 650, tekun: 845, disposable: 40_234 }, HENAN),
  }),
  version('410000', 'rural', '2025-01-01', HENAN, {
    ...henanCommon,
    ...byResidence({ dibao: 460, tekun: 598, disposable: 20_053 }, HENAN),
  }),
  // 郑州市 410100 sets one standard for urban and rural residents (城乡统筹).
  version(
    '410100',
    'urban',
    '2025-01-01',
    '郑州市城乡低保标准（示例）',
    byResidence({ dibao: 830, tekun: 1_079, disposable: 45_000 }, '郑州市（示例）'),
  ),
  version(
    '410100',
    'rural',
    '2025-01-01',
    '郑州市城乡低保标准（示例）',
    byResidence({ dibao: 830, tekun: 1_079, disposable: 28_000 }, '郑州市（示例）'),
  ),
  // 中牟县 410122 raises the employment-cost deduction and lengthens the gradual exit, as an exception
  // the province has made for it (a sample document: more than 6 months needs one).
  ...(['urban', 'rural'] as const).map((residence) =>
    version('410122', residence, '2025-07-01', '中牟县实施细则（示例）', {
      employmentCostDeduction: cite(
        'employmentCostDeduction',
        300,
        `${C.employmentCostDeduction}；中牟县（示例）`,
      ),
      gradualExitMonths: {
        value: 12,
        clause: `${C.gradualExitMonths}；中牟县（示例）`,
        provincialException: '示例：河南省民政厅同意中牟县渐退期延长至12个月（示例文件，非官方）',
      },
    }),
  ),
];
