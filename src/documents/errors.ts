// too_large: over a size, pixel or memory cap; bomb: a small input that unpacks to far more than the caps
// allow (zip entries, PDF streams); too_deep: nesting beyond what a reader can walk; timeout: wall clock.
export type DocumentErrorCode = 'encrypted' | 'truncated' | 'too_large' | 'empty' | 'unsupported' | 'timeout' | 'too_deep' | 'bomb';

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
