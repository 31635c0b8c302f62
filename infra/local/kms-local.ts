import { createHash, createPublicKey, randomUUID } from 'node:crypto';
import { p256 } from '@noble/curves/nist.js';
import { AwsServiceError, startAwsJsonServer } from './aws-json-server';

/**
 * KMS for the sandbox: one asymmetric key (ECC_NIST_P256, SIGN_VERIFY), made at start, answering
 * Sign (ECDSA_SHA_256 over a message or its digest, the signature DER-encoded as KMS returns it)
 * and GetPublicKey (SPKI DER), through the same SDK client and the AWS JSON 1.1 protocol as AWS.
 * Written here because no maintained local KMS is published on npm (LocalStack's needs Docker).
 * The signing itself is @noble/curves' (audited): node:crypto cannot sign a digest it did not hash.
 */
export interface LocalKms {
  keyId: string;
  keyArn: string;
  url: string;
  server: import('node:http').Server;
}

const REGION = 'eu-west-2';
const ACCOUNT = '000000000000';

export const startLocalKms = async (port = 0): Promise<LocalKms> => {
  const keyId = randomUUID();
  const keyArn = `arn:aws:kms:${REGION}:${ACCOUNT}:key/${keyId}`;
  const secretKey = p256.utils.randomSecretKey();
  const point = p256.getPublicKey(secretKey, false);
  const publicKey = createPublicKey({
    key: { kty: 'EC', crv: 'P-256', x: Buffer.from(point.subarray(1, 33)).toString('base64url'), y: Buffer.from(point.subarray(33)).toString('base64url') },
    format: 'jwk',
  });
  const known = (id: unknown): Uint8Array => {
    if (id !== keyId && id !== keyArn) throw new AwsServiceError('NotFoundException', `Key '${String(id)}' does not exist`);
    return secretKey;
  };
  const { server, url } = await startAwsJsonServer(
    '1.1',
    'TrentService',
    {
      Sign: (input) => {
        const key = known(input.KeyId);
        if (input.SigningAlgorithm !== 'ECDSA_SHA_256')
          throw new AwsServiceError('InvalidKeyUsageException', 'The key supports ECDSA_SHA_256 only (ECC_NIST_P256)');
        const message = Buffer.from(String(input.Message ?? ''), 'base64');
        const digest = input.MessageType === 'DIGEST' ? message : createHash('sha256').update(message).digest();
        if (digest.length !== 32) throw new AwsServiceError('ValidationException', 'Digest is invalid length for algorithm ECDSA_SHA_256.');
        const signature = p256.sign(digest, key, { prehash: false, format: 'der' });
        return { KeyId: keyArn, Signature: Buffer.from(signature).toString('base64'), SigningAlgorithm: 'ECDSA_SHA_256' };
      },
      GetPublicKey: (input) => {
        known(input.KeyId);
        return {
          KeyId: keyArn,
          KeySpec: 'ECC_NIST_P256',
          KeyUsage: 'SIGN_VERIFY',
          PublicKey: publicKey.export({ format: 'der', type: 'spki' }).toString('base64'),
          SigningAlgorithms: ['ECDSA_SHA_256'],
        };
      },
    },
    port,
  );
  return { keyId, keyArn, url, server };
};
