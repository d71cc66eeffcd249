// The crawler decodes and sniffs exactly as the parser does: one module, src/parse/decode.ts.
export { charsetFromContentType, charsetFromMeta, decodeHtml, sniffKind } from '../parse/decode.ts';
