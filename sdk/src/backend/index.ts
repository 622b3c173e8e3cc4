export { ready, backendInfo, useBackend, BACKEND_ENV_VAR } from './select';
export type { BackendInfo, BackendName } from './select';
