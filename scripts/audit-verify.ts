/**
 * `npm run audit:verify -- <caseId>`: checks a case's audit log three ways and says what it found:
 * - the hash chain, entry by entry (from which entry on it was altered);
 * - the chain against its heads anchored outside the table in the archive bucket (a recomputed
 *   chain still hashes consistently; only the anchor shows it was rewritten or truncated);
 * - the ledger: each payment item against the digest and amount its entry recorded, and the
 *   happiness list's index keys against the entries.
 * Exit 0 when all hold (a chain not yet anchored is said so), 1 when any does not, 2 on bad use.
 *
 * Reads the table named by `CASES_TABLE` and the bucket named by `ARCHIVE_BUCKET` through the SDK's
 * standard endpoint variables, as the functions do: on AWS, run it with the deployed names and
 * credentials; against `npm start` it defaults to the local runtime's DynamoDB Local
 * (127.0.0.1:$DYNAMODB_PORT, 8000), fauxqs S3 (127.0.0.1:$SQS_PORT, 4566), table and bucket.
 */
import { verifyAuditLog } from '../shared/audit.ts';
import { archiveBucket, casesTable, localName } from '../shared/resources.ts';

const caseId = process.argv[2];
if (!caseId || !/^case-[a-z0-9]+$/.test(caseId)) {
  console.error('用法 usage: npm run audit:verify -- <caseId>   （例如 case-mxdgj9wo1c26a9cc2607）');
  process.exit(2);
}
process.env[casesTable.env] ??= localName(casesTable.id);
process.env[archiveBucket.env] ??= localName(archiveBucket.id);
if (!process.env.AWS_EXECUTION_ENV && !process.env.AWS_PROFILE) {
  process.env.AWS_ENDPOINT_URL_DYNAMODB ??= `http://127.0.0.1:${process.env.DYNAMODB_PORT ?? 8000}`;
  process.env.AWS_ENDPOINT_URL_S3 ??= `http://127.0.0.1:${process.env.SQS_PORT ?? 4566}`;
  process.env.AWS_REGION ??= 'us-east-1';
  process.env.AWS_ACCESS_KEY_ID ??= 'local';
  process.env.AWS_SECRET_ACCESS_KEY ??= 'local';
}

const result = await verifyAuditLog(caseId);
if (result.entries === 0 && result.valid && result.anchor.status === 'none') {
  console.log(`案件 ${caseId} 没有审计日志 — no audit log for this case`);
  process.exit(1);
}
for (const e of result.log)
  console.log(
    `${String(e.seq).padStart(4)}  ${e.at}  ${e.actor.name}（${e.actor.role}）  ${e.summary}  ${e.hash.slice(0, 12)}…`,
  );
if (result.chainValid) {
  console.log(`✓ 哈希链完整 chain intact: ${result.entries} 条 entries, 链头 head ${result.headHash}`);
} else {
  console.log(
    `✗ 审计日志被改动 tampered: 自第 ${result.brokenAt} 条起 from entry ${result.brokenAt} — ${result.reason}`,
  );
}
const { anchor, ledger } = result;
if (anchor.status === 'holds')
  console.log(
    `✓ 与链外锚定一致 matches its anchors: ${anchor.anchors} 个 anchors, 最新锚定第 ${anchor.latest!.seq} 条 latest at entry ${anchor.latest!.seq}`,
  );
else if (anchor.status === 'none')
  console.log('… 尚未锚定 not anchored yet: 锚定每小时运行一次 the anchoring runs hourly');
else
  console.log(
    `✗ 与链外锚定不符 ${anchor.status === 'truncated' ? 'truncated' : 'rewritten'}: ${anchor.reason}`,
  );
if (ledger.holds)
  console.log(
    `✓ 发放记录与审计日志一致 ledger agrees: ${ledger.payments} 笔 payments${
      ledger.preCoverage
        ? `，其中 ${ledger.preCoverage} 条为覆盖前记录 pre-coverage entries (ledger fields unhashed)`
        : ''
    }`,
  );
else for (const m of ledger.mismatches) console.log(`✗ 发放记录不符 ledger mismatch: ${m}`);
process.exit(result.valid ? 0 : 1);
