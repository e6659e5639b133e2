#!/usr/bin/env node
// A stand-in for the AWS CLI, for tests of deploy/deploy.sh only (there is no AWS account here).
// It records every call (one JSON array of arguments per line in $FAKE_AWS_LOG) and answers the
// calls deploy.sh makes the way the real CLI v2 does: `package` writes its output template,
// `describe-stacks` prints the recorded outputs ($FAKE_AWS_DESCRIBE_STACKS, a describe-stacks
// JSON document) for the one query deploy.sh sends, as `--output text` prints [key, value] rows.
// Anything else exits 252 with the CLI's usage complaint, so a new call fails the test loudly.
import fs from 'node:fs';

const args = process.argv.slice(2);
fs.appendFileSync(process.env.FAKE_AWS_LOG, `${JSON.stringify(args)}\n`);
const option = (name) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
};
const [service, command] = args;
const fail = (code, message) => {
  process.stderr.write(`${message}\n`);
  process.exit(code);
};

if (service === 'sts' && command === 'get-caller-identity' && option('--query') === 'Account' && option('--output') === 'text') {
  process.stdout.write('123456789012\n');
} else if (service === 's3api' && command === 'head-bucket') {
  if (process.env.FAKE_AWS_NO_BUCKET === '1') fail(254, 'An error occurred (404) when calling the HeadBucket operation: Not Found');
} else if (service === 's3' && command === 'mb') {
  process.stdout.write(`make_bucket: ${args[2].replace('s3://', '')}\n`);
} else if (service === 'cloudformation' && command === 'package') {
  const template = option('--template-file');
  if (!template || !fs.existsSync(template)) fail(255, `Invalid template path ${template}`);
  fs.writeFileSync(option('--output-template-file'), fs.readFileSync(template, 'utf8').replaceAll('./appsync/', `s3://${option('--s3-bucket')}/`));
} else if (service === 'cloudformation' && command === 'deploy') {
  if (!fs.existsSync(option('--template-file') ?? '')) fail(255, 'Invalid template path');
  if (process.env.FAKE_AWS_DEPLOY_FAILS === '1') fail(255, 'Failed to create/update the stack. Run the following command to fetch the list of events leading up to the failure');
  process.stdout.write(`Successfully created/updated stack - ${option('--stack-name')}\n`);
} else if (service === 'cloudformation' && command === 'describe-stacks') {
  if (option('--query') !== 'Stacks[0].Outputs[].[OutputKey,OutputValue]' || option('--output') !== 'text') fail(252, `fake-aws: no recorded answer for ${args.join(' ')}`);
  const { Stacks } = JSON.parse(fs.readFileSync(process.env.FAKE_AWS_DESCRIBE_STACKS, 'utf8'));
  const stack = Stacks.find((s) => s.StackName === option('--stack-name'));
  if (!stack) fail(254, `An error occurred (ValidationError) when calling the DescribeStacks operation: Stack with id ${option('--stack-name')} does not exist`);
  process.stdout.write(stack.Outputs.map((o) => `${o.OutputKey}\t${o.OutputValue}\n`).join(''));
} else {
  fail(252, `fake-aws: no recorded answer for ${args.join(' ')}`);
}
