/**
 * Imported first by the task's entry points, before anything loads azure-pipelines-task-lib:
 * registers every secret of the step with the agent (task.setsecret, in task-lib's own command
 * format) so that none appears unmasked, also with system.debug=true.
 */
import { TaskCommand } from 'azure-pipelines-task-lib/taskcommand.js';
import { stepSecrets } from './secrets-first.js';

for (const secret of stepSecrets(process.env)) {
  process.stdout.write(`${new TaskCommand('task.setsecret', {}, secret).toString()}\n`);
}
