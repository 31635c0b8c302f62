import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import { marshall } from '@aws-sdk/util-dynamodb';
import { clientKey } from '../../functions/adapters/sec-users-register';
import { newClientId } from '../../functions/domain/sec-users';
import { clientWithKey } from '../local/sandbox-clients';

/**
 * The first SECAS client of a stage, which the API cannot register (registering needs a SECAS
 * token). Prints the `aws dynamodb put-item` command that writes its register item (offline: it
 * reads nothing and calls nothing), or, with --table, writes it through the SDK itself. The item
 * holds the public key only; the private key never leaves SECAS.
 *
 *   npm run register:secas -- --public-key secas.pem --kid secas-2026-1 --officer "Sam Okafor" --stage prod
 *   npm run register:secas -- ... --table <the records stack's table name>   (writes it; AWS credentials needed)
 */
const { values } = parseArgs({
  options: {
    'public-key': { type: 'string' },
    kid: { type: 'string', default: 'secas-1' },
    officer: { type: 'string' },
    stage: { type: 'string', default: 'prod' },
    'client-id': { type: 'string' },
    table: { type: 'string' },
    region: { type: 'string', default: 'eu-west-2' },
    email: { type: 'string', default: 'secas-operations@secas.example.org' },
  },
});

const fail = (message: string): never => {
  process.stderr.write(`${message}\n`);
  process.exit(1);
};

const publicKeyFile = values['public-key'] ?? fail('give --public-key <PEM file of SECAS\'s public key> and --officer "<your full name>"');
const officer = values.officer ?? fail('give --officer "<your full name>": the register records who made SECAS\'s client');
const clientId = values['client-id'] ?? newClientId();
const client = clientWithKey(
  { clientId, name: `SECAS (${values.stage})`, secPartyId: 'SECA', kind: 'SECAS' },
  readFileSync(publicKeyFile, 'utf8'),
  values.kid,
  officer,
  new Date(),
  [{ name: officer, email: values.email }],
);
const item = { ...clientKey(clientId), ...client };
// Registered only if no client has this id (the same condition the API writes with).
const condition = 'attribute_not_exists(pk)';

if (values.table) {
  const documents = DynamoDBDocumentClient.from(new DynamoDBClient({ region: values.region }));
  await documents.send(new PutCommand({ TableName: values.table, Item: item, ConditionExpression: condition }));
  process.stdout.write(`Registered SECAS's client ${clientId} (kid ${values.kid}) in ${values.table}.\n`);
} else {
  const table = `<the NotificationsTable of SecondUserSystem-${values.stage}-Records>`;
  process.stdout.write(
    `# SECAS's client ${clientId}, key ${values.kid}: run with credentials that may write the table.\n` +
      `aws dynamodb put-item --region ${values.region} --table-name '${table}' --condition-expression '${condition}' --item '${JSON.stringify(marshall(item, { removeUndefinedValues: true }))}'\n`,
  );
}
