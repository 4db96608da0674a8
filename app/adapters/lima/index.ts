export { createLimaDriver, limaPaths, type LimaDriverOptions } from './driver';
export { createLimaExecutor } from './executor';
export { loadTemplateSources, renderLimaTemplate } from './template';
export { createDiagnosticsStore } from './diagnostics';
export { locateLimactl, limactlCandidates } from './locate';
export { createHostIntegration } from './host-integration';
export { gvisorFolder } from './gvisor-folder';
