/**
 * 数据比对: each department row is matched to the low-income register (低收入人口名单) by ID number and
 * the region's indicators (indicators.ts) decide which warnings it raises — for a household inside
 * assistance (is the help still right? is something missing?) and for a person outside it (疑似漏保:
 * might they now qualify?). Duplicate assistance (重复救助) is found from the register itself.
 *
 * Pure core: `evaluate` decides one row; `registerDuplicateWarnings` sweeps the register; the driver
 * (`compareFeed`, `runMonitoring`) streams a feed through them with bounded memory — only the register
 * index is held (typed columns and an open-addressing table, ~60 bytes a person), feeds are read line
 * by line (chunks of 64–256 KiB keep the heap small: a chunk's lines die young). A Lambda backs the
 * register with DynamoDB through a `RegisterLookup` instead.
 *
 * A warning carries no personal data the receiving department does not need: the ID number is masked
 * (maskIdNumber), names and incomes are not copied; the department finds the person by the source
 * department's record number (feed + recordId) or the household id.
 *
 * The package, one concept a file: register.ts (what the register says of a household), register-index.ts
 * (the register in memory), warnings.ts (a warning and its id), evaluation.ts (one row's decision),
 * duplicates.ts (duplicate assistance), run.ts (the streaming driver). Import from here unless a module's
 * own name reads better.
 */

export { registerDuplicateWarnings } from './duplicates.ts';
export { evaluate, evaluateRow, type Outcome } from './evaluation.ts';
export {
  isInside,
  type OtherHousehold,
  type RegisterEntry,
  type RegisterLookup,
  type RegisterRecord,
  registerDefinition,
} from './register.ts';
export { loadRegister, RegisterIndex, type RegisterLoad } from './register-index.ts';
export {
  collectingSink,
  compareFeed,
  type FeedCounts,
  type FeedInput,
  type FeedRejection,
  type MonitoringReport,
  type MonitoringRun,
  type MonitoringSink,
  type RegisterSource,
  runMonitoring,
} from './run.ts';
export { type Warning, WarningChecksum, type WarningSource, warningId } from './warnings.ts';
