// HMAC signing of Jupyter messages (messaging spec 5.3, "The Wire Protocol"): the signature is the hex
// HMAC-SHA256 of header, parent_header, metadata and content (buffers are not signed). An empty key
// means the connection is unauthenticated and the signature is the empty string.
import { createHmac, timingSafeEqual } from 'node:crypto';

/** Signs and verifies the four JSON frames of a message with the connection file's key. */
export class Signer {
  private readonly key: Buffer;
  /** Signatures already accepted: a replayed message is rejected like a forged one (as jupyter_client does). */
  private readonly seen = new Set<string>();

  constructor(key: string, scheme = 'hmac-sha256', private readonly historySize = 1 << 16) {
    if (key !== '' && scheme !== 'hmac-sha256') {
      throw new Error(`signature_scheme: expected "hmac-sha256", found ${JSON.stringify(scheme)}`);
    }
    this.key = Buffer.from(key, 'utf8');
  }

  get enabled(): boolean {
    return this.key.length > 0;
  }

  sign(parts: readonly (Buffer | string)[]): string {
    if (!this.enabled) return '';
    const hmac = createHmac('sha256', this.key);
    for (const part of parts) hmac.update(part);
    return hmac.digest('hex');
  }

  /** True when `signature` is right for `parts` and was not seen before; constant-time comparison. */
  verify(signature: string, parts: readonly (Buffer | string)[]): boolean {
    if (!this.enabled) return true;
    const expected = Buffer.from(this.sign(parts), 'utf8');
    const given = Buffer.from(signature, 'utf8');
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return false;
    if (this.seen.has(signature)) return false;
    if (this.seen.size >= this.historySize) this.seen.clear();
    this.seen.add(signature);
    return true;
  }
}
