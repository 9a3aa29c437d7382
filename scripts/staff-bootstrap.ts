/**
 * `npm run staff:bootstrap -- --subject <sub> --name <姓名> --region <代码>`: the first administrator
 * of a new deployment. Roles come only from the system's staff records, granted by an administrator
 * (`/admin/staff`); somebody has to be the first, so this writes that one grant directly — on the
 * chain `staff-<subject>` as the system's act — and refuses once any administrator is active (from
 * then on administrators grant through the API, where every grant is checked and audited).
 *
 * `--subject` is the person's `sub` in the deployment's identity provider (the province's OIDC
 * issuer, or the Cognito user pool on the global profile). Reads the table named by `CASES_TABLE`
 * through the SDK's standard credentials and endpoint variables, as the functions do: on AWS run it
 * with the deployed table's name and credentials allowed to write it (docs/deploy.md); against
 * `npm start` it defaults to the local runtime's DynamoDB Local. Exit 0 granted, 1 refused, 2 bad use.
 */
import { parseArgs } from 'node:util';
import { casesTable, localName } from '../shared/resources.ts';
import { regionCode } from '../shared/schemas/household.ts';
import { subject as subjectSchema } from '../shared/schemas/staff.ts';
import { allStaff, putStaffAsSystem } from '../shared/staff.ts';

const usage =
  '用法 usage: npm run staff:bootstrap -- --subject <统一身份认证用户编号 sub> --name <姓名> --region <行政区划代码，如 430000>';
let values: { subject?: string; name?: string; region?: string };
try {
  ({ values } = parseArgs({
    options: { subject: { type: 'string' }, name: { type: 'string' }, region: { type: 'string' } },
  }));
} catch (error) {
  console.error(`${(error as Error).message}\n${usage}`);
  process.exit(2);
}
const problems = [
  !subjectSchema.safeParse(values.subject).success && '--subject 应为身份令牌中的用户编号（sub）',
  !values.name?.trim() && '--name 应为管理员姓名',
  !regionCode.safeParse(values.region).success && '--region 应为6位行政区划代码',
].filter(Boolean);
if (problems.length) {
  console.error(`${problems.join('；')}\n${usage}`);
  process.exit(2);
}

process.env[casesTable.env] ??= localName(casesTable.id);
if (!process.env.AWS_EXECUTION_ENV && !process.env.AWS_PROFILE && !process.env.AWS_ACCESS_KEY_ID) {
  process.env.AWS_ENDPOINT_URL_DYNAMODB ??= `http://127.0.0.1:${process.env.DYNAMODB_PORT ?? 8000}`;
  process.env.AWS_REGION ??= 'us-east-1';
  process.env.AWS_ACCESS_KEY_ID ??= 'local';
  process.env.AWS_SECRET_ACCESS_KEY ??= 'local';
}

const administrators = (await allStaff()).filter((r) => r.status === 'active' && r.role === 'admin');
if (administrators.length) {
  console.error(
    `已有在职管理员（${administrators.map((a) => `${a.name}，管辖 ${a.regionCodes.join('、')}`).join('；')}），请由其通过 /admin/staff 授权 — an administrator exists; grant through the API`,
  );
  process.exit(1);
}
const record = await putStaffAsSystem(
  values.subject!,
  { name: values.name!.trim(), role: 'admin', regionCodes: [values.region!] },
  { subject: 'bootstrap', name: '部署初始化（npm run staff:bootstrap）' },
);
console.log(
  `✓ 已授予 ${record.name}（${record.subject}）系统管理员，管辖 ${record.regionCodes.join('、')} — first administrator granted`,
);
