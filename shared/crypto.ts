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
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
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
 * The index keys are a ring, newest first, as the field keys are: a rotation puts a new key first.
 * What is written from then on is indexed under the new key, what was written before stays indexed
 * under the key of its time, and every look-up by ID number asks under each key of the ring
 * (`blindIndexes`) — so a rotation leaves every record findable without rewriting any of them, as
 * the register's imported households keep only their members' indexes and could not be re-indexed.
 * The lists that are matched against each other rather than looked up (relatives' declarations,
 * the members a task or a register household names) carry the person's index under every key.
 *
 * Each HMAC key is derived once per process: locally from a key file (`BLIND_INDEX_KEY_FILE`, one
 * key per line, newest first; before the first rotation there is none and the one key is derived
 * from the field key file's first key, HKDF); on AWS from KMS HMAC keys (`BLIND_INDEX_KMS_KEY_ID`,
 * their ARNs comma-separated, newest first; one GenerateMac over a fixed label each — the same key
 * always gives the same index, and the key never leaves KMS).
 */
const BLIND_LABEL = 'doudi-blind-index-v1';
let blindKeys: { config: string; keys: Promise<Buffer[]> } | undefined;

/** The blind-index key derived from a local field key file (its last line: its first key ever). */
const derivedFromFieldKeys = (fieldKeyFile: string): Buffer =>
  Buffer.from(hkdfSync('sha256', keyFileKeys(fieldKeyFile).at(-1)!, Buffer.alloc(0), BLIND_LABEL, 32));

function blindIndexKeys(): Promise<Buffer[]> {
  const kms = process.env.BLIND_INDEX_KMS_KEY_ID;
  const file = process.env.FIELD_KEY_FILE;
  const ring = process.env.BLIND_INDEX_KEY_FILE;
  // A rotated ring file (one key more) is read again, as a rotated field key file is.
  const ringSize = ring && existsSync(ring) ? statSync(ring).size : 0;
  const config = kms ? `kms:${kms}` : file ? `file:${file}:${ring}:${ringSize}` : undefined;
  if (!config)
    throw new Error('no blind-index key: set BLIND_INDEX_KMS_KEY_ID (AWS) or FIELD_KEY_FILE (local runtime)');
  if (blindKeys?.config !== config) {
    const client = kms ? new KMSClient({}) : undefined;
    const keys = kms
      ? Promise.all(
          kms
            .split(',')
            .map((id) => id.trim())
            .filter(Boolean)
            .map((KeyId) =>
              client!
                .send(
                  new GenerateMacCommand({
                    KeyId,
                    MacAlgorithm: 'HMAC_SHA_256',
                    Message: Buffer.from(BLIND_LABEL),
                  }),
                )
                .then((out) => Buffer.from(out.Mac!)),
            ),
        )
      : // Rotating the field keys must not move the index: it has keys of its own.
        Promise.resolve(ringSize ? keyFileKeys(ring!) : [derivedFromFieldKeys(file!)]);
    // A failed derivation (KMS throttling, say) is not remembered: the next call tries again.
    keys.catch(() => {
      if (blindKeys?.keys === keys) blindKeys = undefined;
    });
    blindKeys = { config, keys };
  }
  return blindKeys.keys;
}

const indexUnder = (key: Buffer, idNumber: string) =>
  createHmac('sha256', key).update(idNumber.toUpperCase()).digest('hex');

/** The blind index of an 18-digit ID number (upper-case X), hex, under the newest key: what is written. */
export async function blindIndex(idNumber: string): Promise<string> {
  return indexUnder((await blindIndexKeys())[0]!, idNumber);
}

/** The ID number's blind index under every key of the ring, newest first: what a look-up asks for. */
export async function blindIndexes(idNumber: string): Promise<string[]> {
  return (await blindIndexKeys()).map((key) => indexUnder(key, idNumber));
}

/**
 * Rotates the local blind-index key ring (`BLIND_INDEX_KEY_FILE`): a new key first, the earlier
 * ones after it — the first time, the one derived from the field key file, which until then was the
 * only one. A running runtime indexes under the new key from its next write.
 */
export function rotateBlindIndexKeyFile(ringFile: string, fieldKeyFile: string): void {
  const earlier = existsSync(ringFile) ? keyFileKeys(ringFile) : [derivedFromFieldKeys(fieldKeyFile)];
  writeFileSync(ringFile, [newKeyFileContents(), ...earlier.map((k) => k.toString('base64url'))].join('\n'), {
    mode: 0o600,
  });
}

/**
 * Keyed digests of a request's content (HMAC under each blind-index key, with its own label, newest
 * first), kept to tell a retry from another request under the same key: the newest is written, any
 * of them matches (a retry across a rotation). Keyed, not a plain hash: the content holds ID
 * numbers, and a plain hash of a small, guessable body could be checked against guesses.
 */
export async function requestDigests(scope: string, content: unknown): Promise<string[]> {
  const text = `doudi-request-v1\0${scope}\0${JSON.stringify(content)}`;
  return (await blindIndexKeys()).map((key) => createHmac('sha256', key).update(text).digest('hex'));
}
