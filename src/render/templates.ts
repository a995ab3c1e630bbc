// Kept for imports written before the rename: localized phrases are in phrases.ts.
export { localizedPhrase as localizedTemplate } from "./phrases";
