/**
 * The feed schemas as the departments read them (`GET /monitoring/feeds`), derived from the field
 * specifications so that what is published cannot disagree with what is validated.
 */
import { type FeedName, feedDescriptions, feedNames } from './names.ts';
import { type FieldKind, feedDefinitions, type RecordDefinition } from './specs.ts';

export interface FieldDoc {
  field: string;
  type: string;
  required: string;
  description: string;
}

function typeText(t: FieldKind): string {
  switch (t.kind) {
    case 'recordId':
      return '文本（1–64位字母、数字或 _ . : -）';
    case 'idNumber':
      return '身份证号码（18位）';
    case 'regionCode':
      return '行政区划代码（6位）';
    case 'date':
      return '日期 YYYY-MM-DD';
    case 'yuan':
      return '金额（元，最多两位小数）';
    case 'grade':
      return '整数 1–4';
    case 'boolean':
      return 'true/false';
    case 'enum':
      return Object.entries(t.values)
        .map(([k, v]) => `${k}=${v}`)
        .join('；');
    case 'idNumberList':
      return '身份证号码列表（CSV 以 ; 分隔）';
    case 'enumList':
      return `列表（CSV 以 ; 分隔）：${Object.entries(t.values)
        .map(([k, v]) => `${k}=${v}`)
        .join('；')}`;
  }
}

/** The documented schema of a record definition: field, type, required and the Chinese description. */
export function describeRecord(def: RecordDefinition<unknown>): FieldDoc[] {
  return def.fields.map((f) => ({
    field: f.name,
    type: typeText(f.type),
    required: f.required === true ? '必填' : f.required === 'conditional' ? '视情况必填' : '选填',
    description: `${f.label}：${f.description}`,
  }));
}

export function describeFeed(feed: FeedName): FieldDoc[] {
  return describeRecord(feedDefinitions[feed] as RecordDefinition<unknown>);
}

/**
 * The feed schemas as plain text, one block per feed, for publishing to the departments: the column
 * order of a CSV header, then per field its type, whether it is required and what it means.
 */
export function renderFeedSchemas(feeds: readonly FeedName[] = feedNames): string {
  const out: string[] = [
    '低收入人口动态监测 · 部门数据接口说明',
    '格式：CSV（UTF-8，首行为列名，逗号分隔）或 JSON Lines（每行一个 JSON 对象）。金额单位为元，最多两位小数；日期为 YYYY-MM-DD。',
    'CSV 中空单元格表示未填写；列顺序不限，多余的列忽略。不合格的行连同行号和原因写入比对报告，其余行照常比对。',
    '',
  ];
  for (const feed of feeds) {
    out.push(`【${feed}】${feedDescriptions[feed]}`);
    out.push(`CSV 表头：${feedDefinitions[feed].fields.map((f) => f.name).join(',')}`);
    for (const d of describeFeed(feed)) out.push(`  ${d.field}\t${d.type}\t${d.required}\t${d.description}`);
    out.push('');
  }
  return out.join('\n');
}
