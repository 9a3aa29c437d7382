import { RemovalPolicy } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import type * as kms from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';
import type { KeyAttribute, TableDefinition } from '../shared/resources.ts';

export interface TablesProps {
  definitions: TableDefinition[];
  key: kms.IKey;
}

const attribute = (a: KeyAttribute): dynamodb.Attribute => ({
  name: a.name,
  type: a.type === 'S' ? dynamodb.AttributeType.STRING : dynamodb.AttributeType.NUMBER,
});

/** The tables of `shared/resources.ts`; key design is documented there, next to the definitions. */
export class Tables extends Construct {
  readonly byId = new Map<string, dynamodb.Table>();

  constructor(scope: Construct, id: string, props: TablesProps) {
    super(scope, id);
    for (const def of props.definitions) {
      const table = new dynamodb.Table(this, def.id, {
        partitionKey: attribute(def.partitionKey),
        ...(def.sortKey ? { sortKey: attribute(def.sortKey) } : {}),
        billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
        encryption: dynamodb.TableEncryption.CUSTOMER_MANAGED,
        encryptionKey: props.key,
        pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
        timeToLiveAttribute: def.timeToLiveAttribute,
        // The register is the record of who was assisted and why: neither a stack update nor a
        // console click may drop it.
        deletionProtection: true,
        removalPolicy: RemovalPolicy.RETAIN,
      });
      // Pinned to the definition's id: a retained table whose logical id moved with a refactor would
      // be orphaned and replaced by a new, empty one.
      (table.node.defaultChild as dynamodb.CfnTable).overrideLogicalId(def.id);
      for (const gsi of def.globalSecondaryIndexes) {
        table.addGlobalSecondaryIndex({
          indexName: gsi.name,
          partitionKey: attribute(gsi.partitionKey),
          sortKey: attribute(gsi.sortKey),
          // Same projection as the local runtime creates, so queries behave alike.
          projectionType: dynamodb.ProjectionType.ALL,
        });
      }
      this.byId.set(def.id, table);
    }
  }

  get(id: string): dynamodb.Table {
    const table = this.byId.get(id);
    if (!table) throw new Error(`no table '${id}' in shared/resources.ts`);
    return table;
  }
}
