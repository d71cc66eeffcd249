-- 0004_extractions — the extraction stage of binary documents (PDF, DOCX, DOC, XLS, images), kept apart from
-- parsing: the body text pdf.js layout / OCR / the Word readers yielded for a snapshot, once per extractor version
-- (EXTRACTOR_VERSION, src/parse/version.ts). `reparse` after a parser change parses this text instead of running
-- pdf.js and OCR again; a new extractor version (or `reparse --re-extract`) extracts again and adds/replaces a row.
-- HTML and text pages have no row: their "extraction" (decode, html→body) is as cheap as parsing.
-- No foreign key, like page_parts: rows are written with the parse result, whatever order jobs arrive in.
CREATE TABLE extractions (
  snapshot_sha      TEXT NOT NULL,              -- the document's snapshot
  extractor_version TEXT NOT NULL,              -- EXTRACTOR_VERSION that produced it
  kind              TEXT NOT NULL,              -- pdf | docx | doc | xls | image
  pages             INTEGER,                    -- pages in the document (NULL when the reader does not count)
  ocr               INTEGER NOT NULL,           -- 1 if some text came from OCR
  warnings          TEXT NOT NULL,              -- JSON array of the extractor's warnings
  body              BLOB NOT NULL,              -- gzip of the body text (UTF-8)
  body_size         INTEGER NOT NULL,           -- bytes of the body text before gzip
  extract_ms        INTEGER,                    -- how long extraction took (NULL when not measured)
  extracted_at      TEXT NOT NULL,
  PRIMARY KEY (snapshot_sha, extractor_version)
);
