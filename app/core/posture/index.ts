export type { SecurityView, EngineSecurityContext } from './view';
export { CHECKS, checkById, assess, evaluate, levelOf, runtimeLabel, type Acknowledgements } from './catalogue';
export { effectiveCapabilities, addedCapabilities, normalizeCapability, normalizeCapabilityList, DEFAULT_CAPABILITIES, ALL_CAPABILITIES } from './capabilities';
export { planHardening, tmpfsPaths, type HardeningInput } from './hardening';
export { classifyImage, parseOsRelease, sizeBand, PROBE_PATHS, type ImageProbe } from './minimality';
export { isSandboxedRuntime } from './checks-privilege';
