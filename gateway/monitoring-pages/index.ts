export { registerMonitoringPages } from './register.tsx';
export type { MonitoringPagesOptions } from './kit.tsx';
