export type DocumentErrorCode = 'encrypted' | 'truncated' | 'too_large' | 'empty' | 'unsupported' | 'timeout';

/** A document that cannot be turned into body text. `code` is stable; `message` is for people. */
export class DocumentError extends Error {
  readonly code: DocumentErrorCode;
  readonly filename: string | null;
  constructor(code: DocumentErrorCode, filename: string | null | undefined, message: string, options?: { cause?: unknown }) {
    super(`${code}: ${filename ?? '(unnamed)'}: ${message}`, options);
    this.name = 'DocumentError';
    this.code = code;
    this.filename = filename ?? null;
  }
  toJSON() {
    return { name: this.name, code: this.code, filename: this.filename, message: this.message };
  }
}
