// MockTestRunner's test script: sets the scenario's inputs through TaskMockRunner and runs the
// built task (bundled, so task-lib itself runs unmocked: noMockTask).
const path = require('node:path');
const { TaskMockRunner } = require('azure-pipelines-task-lib/mock-run');

const scenario = JSON.parse(process.env.IAMRA_MOCK_SCENARIO || '{}');
const runner = new TaskMockRunner(
  path.join(__dirname, '..', '..', '..', 'tasks', 'RolesAnywhereCredentialsV1', 'main', 'index.js'),
);
for (const [name, value] of Object.entries(scenario.inputs || {})) runner.setInput(name, value);
runner.run(true);
