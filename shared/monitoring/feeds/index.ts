/**
 * 部门数据 (department feeds) for 低收入人口动态监测 (国办发〔2023〕39号：健全低收入人口动态监测机制，
 * 加强教育、人社、卫健、医保、残联、应急管理、农业农村等部门数据共享比对). Each department delivers a file,
 * either CSV (first line a header naming the columns, UTF-8, comma-separated, RFC 4180 quotes allowed within
 * one line) or JSON Lines (one JSON object per line). Money is in yuan with at most two decimals; dates are
 * YYYY-MM-DD (China civil dates). Every row names one person by 18-digit 公民身份号码 (GB 11643).
 *
 * Columns every feed has, in this order:
 *
 *   field        type          required  meaning
 *   recordId     text ≤ 64     yes       the department's own record number (结算单号、证号…): a warning is
 *                                        identified by feed + recordId, so a rerun yields the same warning id
 *   idNumber     ID number     yes       公民身份号码 of the person the record is about
 *   regionCode   6 digits      yes       行政区划代码 where the event was recorded (县级)
 *   eventDate    YYYY-MM-DD    yes       the day of the event (结算日、死亡日、登记日…)
 *
 * Then, per feed:
 *
 *   health (卫生健康部门：大额医疗费用、死亡)
 *     eventType     hospitalisation | death      yes   住院（大额医疗费用）或 死亡
 *     totalCost     yuan                         *     住院总费用；eventType=hospitalisation 时必填，death 时须为空
 *     majorDisease  true | false                 no    是否属于大病专项救治病种（缺省 false）
 *   medicalInsurance (医疗保障部门：报销、个人自付)
 *     totalCost     yuan                         yes   医疗总费用
 *     reimbursed    yuan                         yes   基本医保、大病保险、医疗救助已支付（不超过总费用）
 *     outOfPocket   yuan                         yes   个人自付（不超过总费用）
 *   education (教育部门：在学、家庭经济困难学生)
 *     eventType     enrolment | hardshipStudent  yes   入学/在学登记，或认定为家庭经济困难学生
 *     stage         preschool | primary | juniorSecondary | seniorSecondary | vocational | higher   yes  学段
 *   humanResources (人力资源社会保障部门：失业登记、就业、养老金)
 *     eventType     unemploymentRegistration | employment | pensionStart   yes
 *     monthlyAmount yuan                         *     月工资或月养老金；employment/pensionStart 必填，失业登记须为空
 *   disability (残疾人联合会：残疾人证及等级)
 *     action        issued | gradeChanged | revoked   yes   发证、等级变更、注销
 *     category      visual | hearing | speech | physical | intellectual | mental | multiple   yes  残疾类别
 *     grade         1–4                          *     残疾等级（1、2级为重度）；注销时可为空，其他必填
 *   emergencyManagement (应急管理部门：受灾人员、房屋损毁)
 *     eventType     disasterVictim | homeDamaged  yes   受灾人员登记，或住房损毁
 *     disasterType  flood | drought | earthquake | typhoon | landslide | fire | other   yes  灾害种类
 *     damageLevel   collapsed | severe | moderate | minor   *   倒塌、严重损坏、一般损坏、轻微；homeDamaged 必填
 *     directLoss    yuan                         no    直接经济损失
 *   ruralAffairs (农业农村部门：防止返贫监测)
 *     status        identified | riskEliminated   yes   纳入防止返贫监测，或风险消除
 *     riskCause     illness | disability | schooling | unemployment | disaster | accident | other   no  主要风险
 *
 * In CSV an empty cell is a missing value; booleans are true/false (also 1/0, 是/否); columns may come in any
 * order and unknown columns are ignored (a department may send more than we read). A row that breaks a rule
 * is rejected with its line number (1-based; a CSV header is line 1) and the field and reason in Chinese, and
 * the rest of the file is still read. Blank lines are not rows and are counted apart.
 *
 * Two validators check the same rules: the zod schemas (`feedSchemas`, the documented reference, for APIs and
 * OpenAPI) and a hand-written one (`validateFeedRecord`) that the streaming comparison uses because it runs
 * millions of rows (zod costs ~4 µs a row); test/monitoring checks they accept the same rows and give the same
 * first reason. On top, a plain CSV line whose every cell is unmistakably valid is decoded in one pass
 * (`fastCsvRow`); anything else takes the general path, so reasons come from one place.
 *
 * The package, one concept a file: names.ts (feeds, departments, enumerations), specs.ts (the field
 * specifications and row types), reasons.ts (the wording both validators share), schema.ts (zod),
 * validate.ts (the fast validator), csv.ts (CSV and its fast path), stream.ts (lines and the decoder),
 * docs.ts (the published schemas). Import from here unless a module's own name reads better.
 */
export { type CsvLayout, csvLayout, csvRecord, csvValue, splitCsvLine } from './csv.ts';
export { describeFeed, describeRecord, type FieldDoc, renderFeedSchemas } from './docs.ts';
export {
  type DamageLevel,
  type Department,
  damageLevels,
  departmentLabels,
  departments,
  disabilityActions,
  disabilityCategories,
  disasterEvents,
  disasterTypes,
  educationEvents,
  employmentEvents,
  type FeedFormat,
  type FeedName,
  feedDescriptions,
  feedNames,
  healthEvents,
  relapseCauses,
  relapseStatuses,
  type SchoolStage,
  schoolStages,
} from './names.ts';
export { problemReason } from './reasons.ts';
export { feedSchemas, recordSchema, validateFeedWithZod, validateWithZod } from './schema.ts';
export {
  type DisabilityRow,
  type EducationRow,
  type EmergencyManagementRow,
  type FeedRow,
  type FeedRows,
  type FieldKind,
  type FieldProblem,
  type FieldSpec,
  feedDefinitions,
  type HealthRow,
  type HumanResourcesRow,
  type MedicalInsuranceRow,
  type RecordDefinition,
  type RuralAffairsRow,
} from './specs.ts';
export {
  type LineSource,
  lineBatches,
  RecordDecoder,
  type RecordItem,
  type Rejection,
  readFeed,
  readRecords,
  regionCodeNamed,
} from './stream.ts';
export { type Validation, validateCsvCells, validateFeedRecord, validateRecord } from './validate.ts';
