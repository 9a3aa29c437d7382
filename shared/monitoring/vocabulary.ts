/**
 * The words of 低收入人口动态监测, each list once: the departments — the seven that send feeds (部门数据)
 * and 民政, which coordinates; warnings are pushed by type to one of them (分类推送) and a department
 * officer signs in as one of them (`shared/auth.ts`) — the risk types of warnings and the kinds of help
 * on the assistance chain. Browser-safe (no imports), so the pages name them as the API does.
 */

export const feedNames = [
  'health',
  'medicalInsurance',
  'education',
  'humanResources',
  'disability',
  'emergencyManagement',
  'ruralAffairs',
] as const;
export type FeedName = (typeof feedNames)[number];

/**
 * The departments a warning or a demand can be pushed to (分类推送): the seven that send feeds, 住建
 * (which delivers 住房救助, 社会救助法第二十六条, and sends no feed), and 民政.
 */
export const departments = [...feedNames, 'housing', 'civilAffairs'] as const;
export type Department = (typeof departments)[number];

export const departmentLabels: Record<Department, string> = {
  health: '卫生健康部门',
  medicalInsurance: '医疗保障部门',
  education: '教育部门',
  humanResources: '人力资源社会保障部门',
  disability: '残疾人联合会',
  emergencyManagement: '应急管理部门',
  ruralAffairs: '农业农村部门',
  housing: '住房城乡建设部门',
  civilAffairs: '民政部门',
};

export const riskTypes = [
  'illness',
  'schooling',
  'disability',
  'unemployment',
  'disaster',
  'death',
  'incomeChange',
  'duplicateAssistance',
  'omission',
] as const;
export type RiskType = (typeof riskTypes)[number];

export const riskTypeLabels: Record<RiskType, string> = {
  illness: '因病',
  schooling: '因学',
  disability: '因残',
  unemployment: '因失业',
  disaster: '因灾',
  death: '死亡',
  incomeChange: '收入变化',
  duplicateAssistance: '重复救助',
  omission: '疑似漏保',
};

/** What the register records a household as receiving (救助链上的救助项目). */
export const assistanceTypeLabels = {
  dibaoAllowance: '低保金',
  tekunSupport: '特困人员救助供养金',
  medicalAssistance: '医疗救助',
  educationAid: '教育救助',
  disabilityAllowance: '残疾人两项补贴',
  employmentAssistance: '就业救助',
  housingAssistance: '住房救助',
  temporaryAssistance: '临时救助',
  disasterRelief: '受灾人员救助',
} as const;
export type AssistanceType = keyof typeof assistanceTypeLabels;
export const assistanceTypes = Object.keys(assistanceTypeLabels) as AssistanceType[];
