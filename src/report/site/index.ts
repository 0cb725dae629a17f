// The static site of `mlops report`: one self-contained HTML page per model and a portfolio
// page, from the report's data (src/core/report/model.ts). Every string is untrusted.
import type { ModelData, ReportData } from '../../core/report/model.js';

/** The portfolio page, `index.html`: every model of `data`, sortable and filterable. */
export function renderPortfolio(_data: ReportData): string {
  throw new Error('not built yet');
}

/** A model's page (`model.page`), which links back to `../index.html`. */
export function renderModelPage(_model: ModelData, _data: ReportData): string {
  throw new Error('not built yet');
}
