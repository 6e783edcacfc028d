import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SERVING_CONTAINER } from '../../../../constructs/serving/serving-image';
import { REPO_ROOT } from '../../../support/cdk-context';

// The constructs describe the image without reading it (ECS/Kubernetes need the user, port and probes up front):
// these checks keep that description and serving/Dockerfile in step.
const dockerfile = readFileSync(join(REPO_ROOT, 'serving', 'Dockerfile'), 'utf8');

describe('SERVING_CONTAINER matches serving/Dockerfile', () => {
  test('the non-root user the tasks and pods run as is the image USER', () => {
    expect(dockerfile).toMatch(new RegExp(`^USER ${SERVING_CONTAINER.user}(:${SERVING_CONTAINER.user})?$`, 'm'));
  });

  test('the port the targets route to is the exposed port', () => {
    expect(dockerfile).toMatch(new RegExp(`^EXPOSE ${SERVING_CONTAINER.port}$`, 'm'));
  });

  test('on Lambda the runtime interface client of the Lambda base image runs the exported handler', () => {
    expect(dockerfile).toMatch(/^FROM [^\n]*public\.ecr\.aws\/lambda\/nodejs:\d+ AS runtime$/m);
    expect(SERVING_CONTAINER.lambdaEntrypoint).toEqual(['/lambda-entrypoint.sh']);
    const [file, exported] = SERVING_CONTAINER.lambdaCommand[0].split('.');
    expect(readFileSync(join(REPO_ROOT, 'serving', 'src', `${file}.ts`), 'utf8')).toMatch(new RegExp(`export (const|async function|function) ${exported}\\b`));
  });
});
