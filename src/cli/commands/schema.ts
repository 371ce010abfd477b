import { writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import { configJsonSchemaText } from '../../config/index.js';
import { EXIT, type Output } from '../output.js';

export function schemaCommand(program: Command, io: Output, setExit: (code: number) => void): void {
  program
    .command('schema')
    .description('print the JSON Schema of medic.yaml (for editors: # yaml-language-server: $schema=…)')
    .option('-o, --output <file>', 'write to a file instead of stdout')
    .action((opts: { output?: string }) => {
      const text = configJsonSchemaText();
      if (opts.output) {
        writeFileSync(opts.output, text);
        io.err(`wrote ${opts.output}`);
      } else io.out(text);
      setExit(EXIT.ok);
    });
}
