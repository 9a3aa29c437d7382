/**
 * Staff administration (`/admin/staff`) and the signed-in person (`GET /me`): one schema for the
 * API, the OpenAPI document and the pages. Browser-safe.
 */
import { z } from 'zod';
import { departments, roleLabels, roles } from '../auth.ts';
import { departmentLabels } from '../monitoring/vocabulary.ts';
import { regionCode } from './household.ts';

export const staffRoles = roles.filter((r) => r !== 'applicant') as [
  Exclude<(typeof roles)[number], 'applicant'>,
  ...Exclude<(typeof roles)[number], 'applicant'>[],
];

/** An OIDC subject as identity providers issue them: a UUID, a number, an account name. */
export const subject = z
  .string()
  .regex(/^[\w.:@|+=-]{1,255}$/, { error: '用户编号应为1–255位字母、数字或 . _ : @ | + = -' });

export const staffPath = z.object({ subject: subject.describe('工作人员在统一身份认证中的用户编号（sub）') });

export const staffGrantBody = z
  .object({
    name: z
      .string({ error: '请填写姓名' })
      .trim()
      .min(1, { error: '请填写姓名' })
      .max(50, { error: '姓名最多50个字' })
      .describe('姓名（记录在其办理的事项上）'),
    role: z
      .enum(staffRoles, {
        error: `role 应为 ${staffRoles.map((r) => `${r}（${roleLabels[r]}）`).join('、')} 之一`,
      })
      .describe('角色'),
    regionCodes: z
      .array(regionCode, { error: '请填写所服务的行政区划代码' })
      .min(1, { error: '至少指定一个所服务的行政区划代码' })
      .max(50, { error: '行政区划代码最多50个' })
      .refine((codes) => new Set(codes).size === codes.length, { error: '行政区划代码不能重复' })
      .describe('所服务的行政区划代码：省、市级代码含所辖区县；须在授权的管理员本人管辖范围内'),
    department: z
      .enum(departments, {
        error: `department 应为 ${departments.map((d) => `${d}（${departmentLabels[d]}）`).join('、')} 之一`,
      })
      .optional()
      .describe('所属部门（部门工作人员必填，其他角色不填）'),
  })
  .refine((b) => (b.role === 'departmentOfficer') === (b.department !== undefined), {
    error: '部门工作人员须指定所属部门（department），其他角色不填',
    path: ['department'],
  });

export const staffRevocationBody = z.object({
  reason: z
    .string({ error: '请填写撤销授权的理由' })
    .trim()
    .min(2, { error: '请填写撤销授权的理由' })
    .max(500, { error: '理由最多500字' })
    .describe('撤销理由（调离、退休、违规等），记入变更记录'),
});

export const staffListQuery = z.object({
  regionCode: regionCode
    .optional()
    .describe('只列出服务于此行政区划（或其上级、下级）的工作人员；须在本人管辖范围内'),
  status: z
    .enum(['active', 'revoked'], { error: 'status 应为 active、revoked 之一' })
    .optional()
    .describe('active 在职授权；revoked 已撤销'),
});

const role = z.enum(roles).describe('角色');
const department = z.enum(departments).describe('所属部门');

export const principalView = z
  .object({
    subject: z.string().describe('用户编号（身份令牌的 sub）'),
    name: z.string(),
    role,
    regionCodes: z.array(z.string()).describe('所服务的行政区划代码（申请人为空）'),
    department: department.optional(),
  })
  .describe('系统认定的登录人：工作人员的角色和管辖范围来自本系统的授权记录，不取自身份令牌');

export const staffView = z.object({
  subject: z.string(),
  name: z.string(),
  role: z.enum(staffRoles).describe('角色'),
  regionCodes: z.array(z.string()),
  department: department.optional(),
  status: z.enum(['active', 'revoked']).describe('active 在职授权；revoked 已撤销'),
  version: z.number().int().describe('每次变更加一'),
  updatedAt: z.string(),
  updatedBy: z.object({ subject: z.string(), name: z.string() }),
  revokedReason: z.string().optional(),
});

export const staffDetail = staffView.extend({
  history: z
    .array(
      z.object({
        at: z.string(),
        action: z.string(),
        actionLabel: z.string(),
        summary: z.string(),
        actor: z.object({ subject: z.string(), name: z.string(), role: z.string() }),
      }),
    )
    .describe('授予、变更、撤销的记录（审计链 staff-<用户编号>）'),
});

export const staffList = z.object({ staff: z.array(staffView) });

export const staffChanged = z.object({
  outcome: z
    .enum(['granted', 'changed', 'same', 'revoked'])
    .describe('granted 新授予；changed 已变更；same 与现有授权相同，未写入；revoked 已撤销'),
  staff: staffView,
});

export const signInOptionsView = z
  .object({
    dev: z.boolean().describe('true：本地运行环境的开发登录（POST /auth/dev-login）可用'),
    oidc: z
      .object({
        issuer: z.string().describe('统一身份认证（OIDC）签发者地址'),
        clientId: z.string().describe('本系统登记的客户端编号（令牌的 aud）'),
        scope: z.string().describe('申请的范围'),
      })
      .nullable()
      .describe('页面经授权码流程（PKCE）登录所用的身份提供方；未配置时为 null'),
  })
  .describe('页面如何登录：同一份页面服务于每个部署，登录方式在运行时读取');

/** How a member of staff is alerted to work messages (`shared/notify/work-channel.ts`). */
export const workChannels = ['dingtalk', 'wecom', 'inbox'] as const;
export const workChannelLabels: Record<(typeof workChannels)[number], string> = {
  dingtalk: '政务钉钉',
  wecom: '企业微信',
  inbox: '仅在系统收件箱查看',
};

export const workChannelBody = z
  .object({
    channel: z
      .enum(workChannels, {
        error: `channel 应为 ${workChannels.map((c) => `${c}（${workChannelLabels[c]}）`).join('、')} 之一`,
      })
      .describe(
        '工作消息提醒方式：本单位群机器人发到工作群的消息中 @ 本人（dingtalk 政务钉钉、wecom 企业微信），或不 @ 本人、只在系统收件箱查看（inbox）',
      ),
    account: z
      .string({ error: '请填写本人在该平台的用户编号（userid）' })
      .trim()
      .regex(/^[\w.@-]{1,64}$/, { error: '用户编号应为1–64位字母、数字或 . _ @ -' })
      .optional()
      .describe('本人在所选平台的用户编号（钉钉 userId、企业微信 userid，由单位管理员在通讯录中查看）'),
  })
  .refine((b) => (b.channel === 'inbox') === (b.account === undefined), {
    error: '选择政务钉钉或企业微信时须填写本人在该平台的用户编号（account），仅在收件箱查看时不填',
    path: ['account'],
  });

export const workChannelView = z
  .object({
    channel: z.enum(workChannels).describe('提醒方式；未设置时为 inbox'),
    channelLabel: z.string(),
    account: z.string().nullable().describe('本人在该平台的用户编号'),
    updatedAt: z.string().nullable().describe('最近一次设置的时间；从未设置时为 null'),
  })
  .describe(
    '工作消息提醒方式。新任务、任务明日到期发到本单位工作群时 @ 所选平台上承办该类任务的工作人员，逾期督办 @ 县级民政部门工作人员；群消息本身由单位配置的群机器人发出，与个人选择无关',
  );
