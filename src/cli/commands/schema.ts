import { writeFileSync } from 'node:fs';
import { Option } from 'commander';
import { configJsonSchemaText } from '../../config/index.js';
import type { Cli } from '../command.js';

export function schemaCommand(cli: Cli): void {
  cli.command<{ output?: string }>({
    name: 'schema',
    description: 'print the JSON Schema of medic.yaml (for editors: # yaml-language-server: $schema=…)',
    options: [new Option('-o, --output <file>', 'write to a file instead of stdout')],
    action(ctx) {
      const text = configJsonSchemaText();
      if (ctx.opts.output) {
        writeFileSync(ctx.opts.output, text);
        ctx.io.err(`wrote ${ctx.opts.output}`);
      } else ctx.io.out(text);
    },
  });
}
