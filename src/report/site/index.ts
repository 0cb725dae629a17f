// The static site of `mlops report`: one self-contained HTML page per model and a portfolio
// page, from the report's data (src/core/report/model.ts). Every string is untrusted: see
// html.ts for how each is escaped, page.ts for the pages' Content Security Policy.
export { renderPortfolio } from './portfolio.js';
export { renderModelPage } from './model-page.js';
