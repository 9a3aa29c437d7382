/**
 * Field-level encryption of personal data at rest: ID numbers and health facts (disability grade,
 * severe illness) are sealed before they are written and opened only where the rules need them, so
 * a table export, a backup or a console view shows ciphertext (and a masked ID number beside it).
 *
 * Envelope encryption, as the AWS Encryption SDK does it: a data key (AES-256-GCM) encrypts the
 * field; the data key itself is encrypted by a master key and travels with the field. The master key
 * is a KMS key on AWS (`FIELD_KMS_KEY_ID`) or, in the local runtime, a key file (`FIELD_KEY_FILE`) —
 * configuration, like an endpoint, not a branch in the handlers. A data key is reused for a while
 * and opened data keys are cached, so KMS is called a few times per container, not per field.
 *
 * Sealed value: `enc:v1:<encrypted data key>:<iv>:<ciphertext+tag>` (base64url parts); the
 * plaintext is the JSON of the value, so numbers, booleans and null survive the round trip.
 */
import { createCipheriv, createDecipheriv, createHmac, hkdfSync, randomBytes } from 'node:crypto';
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { DecryptCommand, GenerateDataKeyCommand, GenerateMacCommand, KMSClient } from '@aws-sdk/client-kms';

const PREFIX = 'enc:v1:';
/** Bound to every KMS call and every field: a sealed field cannot be replayed as another kind of data. */
const CONTEXT = { purpose: 'doudi-personal-field' };
const AAD = Buffer.from(CONTEXT.purpose);
const DATA_KEY_USES = 10_000;
const DATA_KEY_MS = 5 * 60_000;

export type Sealed = string & { readonly __sealed: unique symbol };

interface MasterKey {
  newDataKey(): Promise<{ plaintext: Buffer; encrypted: Buffer }>;
  openDataKey(encrypted: Buffer): Promise<Buffer>;
}

function gcmSeal(key: Buffer, plaintext: Buffer): Buffer {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(AAD);
  return Buffer.concat([iv, cipher.update(plaintext), cipher.final(), cipher.getAuthTag()]);
}

function gcmOpen(key: Buffer, sealed: Buffer): Buffer {
  const decipher = createDecipheriv('aes-256-gcm', key, sealed.subarray(0, 12));
  decipher.setAAD(AAD);
  decipher.setAuthTag(sealed.subarray(sealed.length - 16));
  return Buffer.concat([decipher.update(sealed.subarray(12, sealed.length - 16)), decipher.final()]);
}

/**
 * The local runtime's master keys: a file only the runtime's user may read, one key (32 random bytes,
 * base64url) per line, the newest first. New data keys are sealed under the first; a data key sealed
 * under any of them still opens — so rotating (`rotateKeyFile`: a new key put first) leaves every
 * record readable, as KMS's key rotation does on AWS, where the ciphertext names its key version.
 */
class FileMasterKey implements MasterKey {
  readonly #keys: Buffer[];
  constructor(path: string) {
    this.#keys = keyFileKeys(path);
  }
  async newDataKey() {
    const plaintext = randomBytes(32);
    return { plaintext, encrypted: gcmSeal(this.#keys[0]!, plaintext) };
  }
  async openDataKey(encrypted: Buffer) {
    for (const key of this.#keys) {
      try {
        return gcmOpen(key, encrypted);
      } catch {
        // Sealed under another key of the ring (GCM's tag does not verify): the next one.
      }
    }
    throw new Error('no key of the key file opens this data key: sealed under a key no longer held');
  }
}

/** The keys of a key file, newest first. */
function keyFileKeys(path: string): Buffer[] {
  const keys = readFileSync(path, 'utf8')
    .split('\n')
    .map((line) => line.trim())
    .filter(Boolean)
    .map((line) => Buffer.from(line, 'base64url'));
  if (!keys.length || keys.some((k) => k.length !== 32))
    throw new Error(`${path} does not hold 256-bit keys`);
  return keys;
}

class KmsMasterKey implements MasterKey {
  readonly #client = new KMSClient({});
  constructor(private readonly keyId: string) {}
  async newDataKey() {
    const out = await this.#client.send(
      new GenerateDataKeyCommand({ KeyId: this.keyId, KeySpec: 'AES_256', EncryptionContext: CONTEXT }),
    );
    return { plaintext: Buffer.from(out.Plaintext!), encrypted: Buffer.from(out.CiphertextBlob!) };
  }
  async openDataKey(encrypted: Buffer) {
    const out = await this.#client.send(
      new DecryptCommand({ CiphertextBlob: encrypted, EncryptionContext: CONTEXT }),
    );
    return Buffer.from(out.Plaintext!);
  }
}

export class FieldCipher {
  #current: { plaintext: Buffer; encrypted: string; uses: number; until: number } | undefined;
  readonly #opened = new Map<string, Promise<Buffer>>();

  constructor(private readonly master: MasterKey) {}

  async seal(value: unknown): Promise<Sealed> {
    const now = Date.now();
    let current = this.#current;
    if (!current || current.uses >= DATA_KEY_USES || now > current.until) {
      const { plaintext, encrypted } = await this.master.newDataKey();
      current = { plaintext, encrypted: encrypted.toString('base64url'), uses: 0, until: now + DATA_KEY_MS };
      this.#current = current;
      this.#opened.set(current.encrypted, Promise.resolve(plaintext));
    }
    current.uses++;
    const body = gcmSeal(current.plaintext, Buffer.from(JSON.stringify(value ?? null)));
    return `${PREFIX}${current.encrypted}:${body.toString('base64url')}` as Sealed;
  }

  async open<T>(sealed: Sealed | T): Promise<T> {
    if (!isSealed(sealed)) return sealed as T;
    const [encryptedKey, body] = sealed.slice(PREFIX.length).split(':') as [string, string];
    let key = this.#opened.get(encryptedKey);
    if (!key) {
      key = this.master.openDataKey(Buffer.from(encryptedKey, 'base64url'));
      // A failed open (KMS throttling, say) is not remembered: the next read tries again.
      key.catch(() => this.#opened.delete(encryptedKey));
      this.#opened.set(encryptedKey, key);
    }
    return JSON.parse(gcmOpen(await key, Buffer.from(body, 'base64url')).toString('utf8')) as T;
  }
}

export const isSealed = (value: unknown): value is Sealed =>
  typeof value === 'string' && value.startsWith(PREFIX);

let cipher: FieldCipher | undefined;
let configuredBy: string | undefined;

/** The process's cipher, from `FIELD_KMS_KEY_ID` (AWS) or `FIELD_KEY_FILE` (local runtime). */
export function fieldCipher(): FieldCipher {
  const kms = process.env.FIELD_KMS_KEY_ID;
  const file = process.env.FIELD_KEY_FILE;
  // A key file's size is part of it: a rotated file (one key more) is read again.
  const config = kms ? `kms:${kms}` : file ? `file:${file}:${statSync(file).size}` : undefined;
  if (!config)
    throw new Error(
      'no key for personal fields: set FIELD_KMS_KEY_ID (AWS) or FIELD_KEY_FILE (local runtime)',
    );
  // A restarted local runtime may point at another key file: follow the configuration.
  if (!cipher || configuredBy !== config) {
    cipher = new FieldCipher(kms ? new KmsMasterKey(kms) : new FileMasterKey(file!));
    configuredBy = config;
  }
  return cipher;
}

/** A new master key file's contents (the local runtime makes one per data directory). */
export const newKeyFileContents = (): string => randomBytes(32).toString('base64url');

/**
 * Rotates a local key file: a new key first, the earlier ones kept after it for what they sealed.
 * A runtime seals with the new key from then on (`fieldCipher` re-reads a file whose size changed;
 * `npm run keys:rotate`; docs/deploy.md §7).
 */
export function rotateKeyFile(path: string): void {
  const earlier = keyFileKeys(path).map((k) => k.toString('base64url'));
  writeFileSync(path, [newKeyFileContents(), ...earlier].join('\n'), { mode: 0o600 });
}

/**
 * Blind index of an ID number: HMAC-SHA256 under a secret key, so that the register can be looked
 * up by ID number (monitoring, relatives' declarations) without the ID number being stored in a key
 * — and without a plain hash, which the small space of ID numbers would let anyone reverse.
 *
 * The HMAC key is derived once per process: locally from the master key file (HKDF), on AWS from
 * a KMS HMAC key (`BLIND_INDEX_KMS_KEY_ID`, one GenerateMac over a fixed label — the same key always
 * gives the same index, and the key never leaves KMS).
 */
const BLIND_LABEL = 'doudi-blind-index-v1';
let blindKey: { config: string; key: Promise<Buffer> } | undefined;

function blindIndexKey(): Promise<Buffer> {
  const kms = process.env.BLIND_INDEX_KMS_KEY_ID;
  const file = process.env.FIELD_KEY_FILE;
  const config = kms ? `kms:${kms}` : file ? `file:${file}` : undefined;
  if (!config)
    throw new Error('no blind-index key: set BLIND_INDEX_KMS_KEY_ID (AWS) or FIELD_KEY_FILE (local runtime)');
  if (blindKey?.config !== config) {
    const key = kms
      ? new KMSClient({})
          .send(
            new GenerateMacCommand({
              KeyId: kms,
              MacAlgorithm: 'HMAC_SHA_256',
              Message: Buffer.from(BLIND_LABEL),
            }),
          )
          .then((out) => Buffer.from(out.Mac!))
      : // From the file's first key ever (its last line): rotating the field keys must not move the
        // index, as on AWS the HMAC key is a key of its own.
        Promise.resolve(
          Buffer.from(hkdfSync('sha256', keyFileKeys(file!).at(-1)!, Buffer.alloc(0), BLIND_LABEL, 32)),
        );
    blindKey = { config, key };
  }
  return blindKey.key;
}

/** The blind index of an 18-digit ID number (upper-case X), hex. */
export async function blindIndex(idNumber: string): Promise<string> {
  return createHmac('sha256', await blindIndexKey())
    .update(idNumber.toUpperCase())
    .digest('hex');
}

/**
 * A keyed digest of a request's content (HMAC under the blind-index key, with its own label), kept
 * to tell a retry from another request under the same key. Keyed, not a plain hash: the content
 * holds ID numbers, and a plain hash of a small, guessable body could be checked against guesses.
 */
export async function requestDigest(scope: string, content: unknown): Promise<string> {
  return createHmac('sha256', await blindIndexKey())
    .update(`doudi-request-v1\0${scope}\0${JSON.stringify(content)}`)
    .digest('hex');
}
