/** Imported first by the entry point, so it runs before azure-pipelines-task-lib loads. */
import { maskSecretInputs } from './mask-early.js';

maskSecretInputs(process.env, (line) => process.stdout.write(line));
