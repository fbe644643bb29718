// `actordav` on the command line (package.json "bin"), built to dist/bin/actordav.js by
// vite.config.ts. Nothing in the worker or page bundles imports src/devRemote/.
import { runCli } from './runCli.ts';

const outcome = await runCli(process.argv.slice(2), {
  out: (text) => process.stdout.write(text),
  err: (text) => process.stderr.write(text),
});
if ('exitCode' in outcome) {
  process.exitCode = outcome.exitCode;
} else {
  const { remote } = outcome;
  const stop = () => {
    remote.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}
