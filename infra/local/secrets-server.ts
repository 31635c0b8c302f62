import { AwsServiceError, startAwsJsonServer } from './aws-json-server';

/**
 * GetSecretValue for the sandbox's secrets (the decision-link keyring), so the handlers read
 * it through the same Secrets Manager client path as in AWS.
 */
export const startSecretsServer = (secrets: Record<string, string>, port = 0) =>
  startAwsJsonServer(
    '1.1',
    'secretsmanager',
    {
      GetSecretValue: (input) => {
        const id = String(input.SecretId);
        const value = secrets[id];
        if (value === undefined) throw new AwsServiceError('ResourceNotFoundException', "Secrets Manager can't find the specified secret.");
        return {
          ARN: `arn:aws:secretsmanager:eu-west-2:000000000000:secret:${id}`,
          Name: id,
          SecretString: value,
          VersionId: 'local',
          VersionStages: ['AWSCURRENT'],
          CreatedDate: 0,
        };
      },
    },
    port,
  );
