// Runs the CLI from source, for tests that need a real `medic` process (signals, kill -9, restarts).
import { main } from '../../src/cli/main.js';

main(process.argv).then(
  (code) => {
    process.exitCode = code;
  },
  (err) => {
    console.error(err);
    process.exitCode = 2;
  },
);
