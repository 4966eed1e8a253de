// The four config files, by the name Phoenix gives them: what `loadProject`
// reads and what `phx schema` publishes.
import type { z } from 'zod';
import { hypervisorFile } from './hypervisor.ts';
import { lxcFile } from './lxc.ts';
import { stacksFile } from './stacks.ts';
import { vmFile } from './vm.ts';

export const configFiles = {
  hypervisor: { file: 'phoenix_hypervisor_config.json', schema: hypervisorFile },
  lxc: { file: 'phoenix_lxc_configs.json', schema: lxcFile },
  vm: { file: 'phoenix_vm_configs.json', schema: vmFile },
  stacks: { file: 'phoenix_stacks_config.json', schema: stacksFile },
} as const satisfies Record<string, { file: string; schema: z.ZodType }>;

export type ConfigFileKind = keyof typeof configFiles;
