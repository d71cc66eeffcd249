// Bumped on every parser change that can change output: parse jobs are keyed by it, so a bump re-parses.
export const PARSER_VERSION = '0.3.0';
