/**
 * `npm run keys:rotate`: rotates a key of the local runtime's data directory (`DOUDI_DATA_DIR` or
 * `.doudi`), keeping every record readable (docs/deploy.md §7):
 * - by default the master key of personal fields (`field-key`): a new key first, the earlier ones
 *   kept for what they sealed; a running runtime seals with the new key from its next seal.
 * - with `--blind-index`, the keys of the ID numbers' blind index (`blind-index-key`): a new key
 *   first, what earlier keys indexed still found, since every look-up asks under each of them.
 * On AWS the field key is a KMS key that rotates itself and the blind-index keys are KMS HMAC keys
 * added by a deployment. Exit 0 rotated, 1 no key file, 2 unknown option.
 */
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { rotateBlindIndexKeyFile, rotateKeyFile } from '../shared/crypto.ts';

const options = process.argv.slice(2);
const unknown = options.filter((o) => o !== '--blind-index');
if (unknown.length) {
  console.error(`未知选项 unknown option: ${unknown.join(' ')}（可用 --blind-index）`);
  process.exit(2);
}
const dataDir = resolve(process.env.DOUDI_DATA_DIR ?? '.doudi');
const fieldKey = join(dataDir, 'field-key');
if (!existsSync(fieldKey)) {
  console.error(`没有密钥文件 no key file: ${fieldKey}（先运行 npm start 生成 — run npm start once）`);
  process.exit(1);
}
if (options.includes('--blind-index')) {
  const ring = join(dataDir, 'blind-index-key');
  rotateBlindIndexKeyFile(ring, fieldKey);
  console.log(
    `✓ 已轮换身份证号盲索引密钥 rotated: ${ring}（此后按新密钥建索引，原有记录仍可按身份证号查到）`,
  );
} else {
  rotateKeyFile(fieldKey);
  console.log(`✓ 已轮换个人信息字段主密钥 rotated: ${fieldKey}（原有记录仍可读取，此后以新密钥加密）`);
}
