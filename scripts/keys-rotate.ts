/**
 * `npm run keys:rotate`: rotates the local runtime's master key of personal fields (the data
 * directory's `field-key`, `DOUDI_DATA_DIR` or `.doudi`): a new key first, the earlier ones kept for
 * what they sealed, so every record stays readable; a running runtime seals with the new key from its
 * next seal (it re-reads a key file that changed). The ID numbers' blind index does not move. On AWS
 * the field key is a KMS key that rotates itself (docs/deploy.md §7). Exit 0 rotated, 1 no key file.
 */
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { rotateKeyFile } from '../shared/crypto.ts';

const dataDir = resolve(process.env.DOUDI_DATA_DIR ?? '.doudi');
const path = join(dataDir, 'field-key');
if (!existsSync(path)) {
  console.error(`没有密钥文件 no key file: ${path}（先运行 npm start 生成 — run npm start once）`);
  process.exit(1);
}
rotateKeyFile(path);
console.log(`✓ 已轮换个人信息字段主密钥 rotated: ${path}（原有记录仍可读取，此后以新密钥加密）`);
