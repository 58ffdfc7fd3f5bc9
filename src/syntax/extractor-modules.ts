// The extractor files crossvet ships. Each one calls registerExtractor when it is
// loaded; facts.ts imports this module, so every thread that extracts facts (the main
// thread and each worker) has the same extractors registered, and the same cache key.
//
// To add an extractor: create src/syntax/<name>-extractor.ts that calls
// registerExtractor('<name>', 1, fn), and import it here:
//   import './<name>-extractor';
export {};
import './symrefs-extractor';
import './extract/atomic';
import './extract/consts';
