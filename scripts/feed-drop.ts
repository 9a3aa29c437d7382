/**
 * `npm run feed:drop -- <file.csv|file.jsonl> <feed> [name]`
 *
 * Drops a department feed into the local intake bucket (`npm start`'s fauxqs on 127.0.0.1:$SQS_PORT)
 * as `<feed>/<name>` — what a department's upload does on AWS. The runtime's bucket watcher sees it
 * within a second and starts a monitoring run; this prints the run id, whose report is at
 * `GET /monitoring/runs/<runId>`. Feeds: health, medicalInsurance, education, humanResources,
 * disability, emergencyManagement, ruralAffairs (schemas: `GET /monitoring/feeds`).
 */
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { stableId } from '../shared/domain/ids.ts';
import { feedNames } from '../shared/monitoring/vocabulary.ts';
import { intakeBucket, localName } from '../shared/resources.ts';

const [file, feed, name = file && basename(file)] = process.argv.slice(2);
if (
  !file ||
  !feed ||
  !(feedNames as readonly string[]).includes(feed) ||
  !/\.(csv|jsonl)$/i.test(name ?? '')
) {
  console.error(`用法 usage: npm run feed:drop -- <file.csv|file.jsonl> <${feedNames.join('|')}> [name]`);
  process.exit(2);
}
const s3 = new S3Client({
  endpoint: process.env.AWS_ENDPOINT_URL_S3 ?? `http://127.0.0.1:${process.env.SQS_PORT ?? 4566}`,
  region: process.env.AWS_REGION ?? 'us-east-1',
  credentials: {
    accessKeyId: process.env.AWS_ACCESS_KEY_ID ?? 'local',
    secretAccessKey: process.env.AWS_SECRET_ACCESS_KEY ?? 'local',
  },
  forcePathStyle: true,
});
const bucket = localName(intakeBucket.id);
const key = `${feed}/${name}`;
const put = await s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: readFileSync(file) }));
const runId = stableId('run', bucket, key, (put.ETag ?? '').replace(/"/g, ''));
console.log(`已放入 dropped s3://${bucket}/${key}\n比对 run ${runId}: GET /monitoring/runs/${runId}`);
