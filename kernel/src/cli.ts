// sentence-tfjs-kernel <command>: install | uninstall | list (kernelspecs), kernel (what Jupyter starts),
// run (execute a notebook headless). Returns the exit code; `kernel` keeps the process alive instead.
import { parseArgs } from 'node:util';
import { installKernelSpec, listKernelSpecs, uninstallKernelSpec, DEFAULT_KERNEL_NAME, type SpecLocation } from './install';
import { Kernel, packageVersion } from './kernel';
import { readConnectionFile } from './protocol/connection';
import { runNotebook } from './runner';

const USAGE = `Usage: sentence-tfjs-kernel <command>

  install [--user | --sys-prefix | --prefix DIR] [--name NAME]
      Write the kernelspec where Jupyter finds it (default: --user, name "${DEFAULT_KERNEL_NAME}").
  uninstall [--user | --sys-prefix | --prefix DIR] [--name NAME]
      Remove that kernelspec.
  list
      List the kernelspecs Jupyter would find.
  kernel --connection-file FILE
      Start the kernel (Jupyter runs this).
  run NOTEBOOK.ipynb [--output OUT.ipynb] [--timeout SECONDS] [--allow-errors] [--quiet]
      Execute every code cell with this kernel and write the outputs (default OUT: NOTEBOOK.nbconvert.ipynb),
      echoing cell output and progress to the terminal unless --quiet.
      Exit code 1 when a cell fails (unless --allow-errors or the cell is tagged raises-exception).
`;

const LOCATION_OPTIONS = {
  user: { type: 'boolean' },
  'sys-prefix': { type: 'boolean' },
  prefix: { type: 'string' },
  name: { type: 'string' },
} as const;

export async function main(argv: string[]): Promise<number | undefined> {
  const [command, ...rest] = argv;
  try {
    switch (command) {
      case 'install':
      case 'uninstall': {
        const { values } = parseArgs({ args: rest, options: LOCATION_OPTIONS, strict: true });
        const where = location(values);
        const name = values.name ?? DEFAULT_KERNEL_NAME;
        const dir = command === 'install' ? installKernelSpec(where, name) : uninstallKernelSpec(where, name);
        console.log(`${command === 'install' ? 'Installed' : 'Removed'} kernelspec ${name} in ${dir}`);
        return 0;
      }
      case 'list':
        parseArgs({ args: rest, options: {}, strict: true });
        for (const spec of listKernelSpecs()) console.log(`  ${spec.name.padEnd(24)} ${spec.dir}`);
        return 0;
      case 'kernel': {
        const { values } = parseArgs({ args: rest, options: { 'connection-file': { type: 'string', short: 'f' } }, strict: true });
        if (!values['connection-file']) throw new UsageError('kernel: --connection-file FILE is required');
        process.setSourceMapsEnabled(true);
        await new Kernel(readConnectionFile(values['connection-file'])).start();
        return undefined;
      }
      case 'run': {
        const { values, positionals } = parseArgs({
          args: rest,
          allowPositionals: true,
          options: { output: { type: 'string', short: 'o' }, timeout: { type: 'string' }, 'allow-errors': { type: 'boolean' }, quiet: { type: 'boolean', short: 'q' } },
          strict: true,
        });
        if (positionals.length !== 1) throw new UsageError(`run: expected one notebook path, found ${positionals.length}`);
        const timeout = values.timeout === undefined ? undefined : Number(values.timeout);
        if (timeout !== undefined && !(timeout > 0)) throw new UsageError(`run: --timeout must be a positive number of seconds, found ${values.timeout}`);
        const result = await runNotebook(positionals[0], { output: values.output, timeoutSeconds: timeout, allowErrors: values['allow-errors'] === true, quiet: values.quiet === true });
        return result.failed ? 1 : 0;
      }
      case '--version':
        console.log(packageVersion());
        return 0;
      case undefined:
      case 'help':
      case '--help':
      case '-h':
        console.log(USAGE);
        return command === undefined ? 2 : 0;
      default:
        throw new UsageError(`unknown command ${JSON.stringify(command)}`);
    }
  } catch (e) {
    const usage = e instanceof UsageError || (e as NodeJS.ErrnoException).code?.startsWith('ERR_PARSE_ARGS');
    console.error(`sentence-tfjs-kernel: ${(e as Error).message}${usage ? `\n\n${USAGE}` : ''}`);
    return usage ? 2 : 1;
  }
}

class UsageError extends Error {}

function location(values: { user?: boolean; 'sys-prefix'?: boolean; prefix?: string }): SpecLocation {
  const chosen = [values.user && 'user', values['sys-prefix'] && 'sys-prefix', values.prefix !== undefined && 'prefix'].filter(Boolean);
  if (chosen.length > 1) throw new UsageError(`choose one of --user, --sys-prefix, --prefix (found ${chosen.join(', ')})`);
  if (values.prefix !== undefined) return { kind: 'prefix', dir: values.prefix };
  if (values['sys-prefix']) return { kind: 'sys-prefix' };
  return { kind: 'user' };
}
