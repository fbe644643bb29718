// The embedded server moved to src/devRemote/ (it ships as `npx actordav remote`); bench/run.ts
// still imports it from here. Drop this file once bench imports src/devRemote directly.
export { startEmbeddedWebdav } from '../../src/devRemote/startEmbeddedWebdav.ts';
export type {
  EmbeddedWebdav,
  EmbeddedWebdavOptions,
} from '../../src/devRemote/startEmbeddedWebdav.ts';
