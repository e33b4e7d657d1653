/** The environment lines a client (a process, a container, a pod's app) needs to use `serve`. */
import type { RunningImds } from './server.js';

export function clientEnvironment(server: RunningImds, tokenFile: string | undefined): string[] {
  const lines = [`AWS_EC2_METADATA_SERVICE_ENDPOINT=${server.url}/`];
  if (server.containerUrl && tokenFile) {
    lines.push(
      `AWS_CONTAINER_CREDENTIALS_FULL_URI=${server.containerUrl}`,
      `AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE=${tokenFile}`,
    );
  }
  return lines;
}
