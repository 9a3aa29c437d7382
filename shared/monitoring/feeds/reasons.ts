/**
 * The wording of rejection reasons, shared by the zod schemas and the fast validator: tests require the
 * two to give the same first reason for the same line, which only stays true if both take their messages
 * from one place.
 */
import type { FieldProblem, RecordDefinition } from './specs.ts';

export const RECORD_ID = /^[A-Za-z0-9_.:-]{1,64}$/;
export const codeMessages = (label: string) => ({
  type: `${label}必须是字符串`,
  format: `${label}应为1–64位字母、数字或 _ . : -`,
});
export const NOT_OBJECT = '每行应为一个 JSON 对象';

export const booleanMessage = (label: string) => `${label}应为 true 或 false`;
export const enumMessage = (label: string, values: Readonly<Record<string, string>>) =>
  `${label}应为 ${Object.keys(values).join('/')} 之一`;
export const gradeMessages = {
  type: '残疾等级必须是数字',
  int: '残疾等级必须是整数',
  range: '残疾等级应为1–4',
} as const;
export const listMessage = (label: string) => `${label}应为列表（CSV 中以分号 ; 分隔）`;

/** The reason for a problem, as a rejection reports it: `字段 idNumber（身份证号码）：…`. */
export function problemReason(def: RecordDefinition<unknown>, problem: FieldProblem): string {
  if (problem.field === undefined) return problem.message;
  const spec = def.fields.find((f) => f.name === problem.field);
  return `字段 ${problem.field}（${spec?.label ?? problem.field}）：${problem.message}`;
}
