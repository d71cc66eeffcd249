// Bumped on every parser change that can change output: parse jobs are keyed by it, so a bump re-parses.
export const PARSER_VERSION = '0.3.1';

// Bumped on every change to what src/documents yields for a document (pdf.js layout, OCR, DOCX/DOC/XLS readers,
// their warnings): extractions are stored per (snapshot, extractor version), so a bump makes `reparse` run
// pdf.js/OCR again, while a parser bump alone re-parses the stored text.
export const EXTRACTOR_VERSION = '1';
