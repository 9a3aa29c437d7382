/**
 * `npm run audit:verify -- <caseId>`: checks a case's audit log hash chain entry by entry and says
 * whether it holds, or from which entry on it was altered. Exit 0 when intact, 1 when broken, 2 on
 * bad use.
 *
 * Reads the table named by `CASES_TABLE` through the SDK's standard endpoint variables, as the
 * functions do: on AWS, run it with the deployed table's name and credentials; against `npm start`
 * it defaults to the local runtime's DynamoDB Local (127.0.0.1:$DYNAMODB_PORT, 8000) and table.
 */
import { verifyAuditLog } from '../shared/audit.ts';
import { casesTable, localName } from '../shared/resources.ts';

const caseId = process.argv[2];
if (!caseId || !/^case-[a-z0-9]+$/.test(caseId)) {
  console.error('用法 usage: npm run audit:verify -- <caseId>   （例如 case-mxdgj9wo1c26a9cc2607）');
  process.exit(2);
}
process.env[casesTable.env] ??= localName(casesTable.id);
if (!process.env.AWS_ENDPOINT_URL_DYNAMODB && !process.env.AWS_EXECUTION_ENV && !process.env.AWS_PROFILE) {
  process.env.AWS_ENDPOINT_URL_DYNAMODB = `http://127.0.0.1:${process.env.DYNAMODB_PORT ?? 8000}`;
  process.env.AWS_REGION ??= 'us-east-1';
  process.env.AWS_ACCESS_KEY_ID ??= 'local';
  process.env.AWS_SECRET_ACCESS_KEY ??= 'local';
}

const result = await verifyAuditLog(caseId);
if (result.entries === 0 && result.valid) {
  console.log(`案件 ${caseId} 没有审计日志 — no audit log for this case`);
  process.exit(1);
}
for (const e of result.log)
  console.log(
    `${String(e.seq).padStart(4)}  ${e.at}  ${e.actor.name}（${e.actor.role}）  ${e.summary}  ${e.hash.slice(0, 12)}…`,
  );
if (result.valid) {
  console.log(`✓ 审计日志完整 intact: ${result.entries} 条 entries, 链头 head ${result.headHash}`);
} else {
  console.log(
    `✗ 审计日志被改动 tampered: 自第 ${result.brokenAt} 条起 from entry ${result.brokenAt} — ${result.reason}`,
  );
  process.exit(1);
}
