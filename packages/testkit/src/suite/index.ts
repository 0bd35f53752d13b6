export { eventually, freezeProcess } from './eventually.js';
export { describeLockBehaviour } from './lock-behaviour-suite.js';
export type { LockTarget, LockTopology, SuiteConnection } from './lock-topology.js';
export {
  type Connect,
  type CreateQuorumLocks,
  clusterTarget,
  fairMode,
  quorumTarget,
  singleNodeTarget,
} from './targets.js';
