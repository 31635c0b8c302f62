import { createHash, createPublicKey, type KeyObject } from 'node:crypto';
import { GetPublicKeyCommand, KMSClient, SignCommand } from '@aws-sdk/client-kms';
import { setting } from './config';

/**
 * The key the API signs its access tokens with: an asymmetric KMS key (ECC_NIST_P256,
 * SIGN_VERIFY) whose private half never leaves KMS. The token endpoint signs through KMS Sign; the
 * authorizer verifies with its public half, read once per cold start (GetPublicKey).
 */
let kms: KMSClient | undefined;
const client = (): KMSClient => {
  // AWS_ENDPOINT_URL_KMS points it at the sandbox's local KMS, as the other clients' variables do.
  kms ??= new KMSClient({});
  return kms;
};

/**
 * KMS returns an ECDSA signature DER-encoded (SEQUENCE of INTEGER r, INTEGER s); JWS wants the two
 * 32-byte integers side by side (RFC 7518 §3.4). Written here because jose signs only with keys it
 * holds, and the conversion is these few lines of DER.
 */
export const derToJose = (der: Uint8Array): Buffer => {
  const bytes = Buffer.from(der);
  let offset = 2 + ((bytes[1] as number) > 0x80 ? (bytes[1] as number) - 0x80 : 0);
  const integer = () => {
    if (bytes[offset] !== 0x02) throw new Error('not a DER ECDSA signature');
    const length = bytes[offset + 1] as number;
    const value = bytes.subarray(offset + 2, offset + 2 + length);
    offset += 2 + length;
    const unpadded = value.subarray(Math.max(0, value.length - 32));
    return Buffer.concat([Buffer.alloc(32 - unpadded.length), unpadded]);
  };
  if (bytes[0] !== 0x30) throw new Error('not a DER ECDSA signature');
  return Buffer.concat([integer(), integer()]);
};

/** Signs a JWS signing input (`header.payload`) with the KMS key: ES256, the digest computed here. */
export const signWithAccessTokenKey = async (signingInput: string): Promise<string> => {
  const digest = createHash('sha256').update(signingInput).digest();
  const { Signature } = await client().send(
    new SignCommand({ KeyId: setting('ACCESS_TOKEN_KEY_ID'), Message: digest, MessageType: 'DIGEST', SigningAlgorithm: 'ECDSA_SHA_256' }),
  );
  if (!Signature) throw new Error('KMS returned no signature');
  return derToJose(Signature).toString('base64url');
};

const publicKeys = new Map<string, Promise<KeyObject>>();

/** The public half, read from KMS once per cold start (a failed read is tried again on the next call). */
export const accessTokenPublicKey = (): Promise<KeyObject> => {
  const keyId = setting('ACCESS_TOKEN_KEY_ID');
  let publicKey = publicKeys.get(keyId);
  if (!publicKey) {
    publicKey = client()
      .send(new GetPublicKeyCommand({ KeyId: keyId }))
      .then(({ PublicKey }) => createPublicKey({ key: Buffer.from(PublicKey as Uint8Array), format: 'der', type: 'spki' }))
      .catch((error: unknown) => {
        publicKeys.delete(keyId);
        throw error;
      });
    publicKeys.set(keyId, publicKey);
  }
  return publicKey;
};
