// What `phx import` could not carry over by itself: one typed item per
// thing a human has to look at, each rendered as one line naming the file
// in the new workspace and what to do about it.
import type { Finding } from './script-scan.ts';

export type ReviewItem =
  | (Finding & { readonly file: string })
  | {
      readonly reason: 'missing-feature';
      readonly name: string;
      readonly guests: readonly string[];
    }
  | {
      readonly reason: 'missing-app-script';
      readonly script: string;
      readonly guests: readonly string[];
    }
  | {
      readonly reason: 'lxc-and-vm-scripts';
      readonly name: string;
      readonly file: string;
      readonly kept: string;
    }
  | {
      readonly reason: 'feature-kind-missing';
      readonly name: string;
      readonly guests: readonly string[];
      readonly from: string;
    }
  | { readonly reason: 'missing-config'; readonly config: string }
  | { readonly reason: 'config-not-json'; readonly config: string }
  | { readonly reason: 'bad-feature-name'; readonly name: string; readonly from: string };

export function describeReview(item: ReviewItem): string {
  switch (item.reason) {
    case 'sources-bash-helpers':
      return `${item.file}: sources bash-Phoenix helpers (${item.helpers.join(', ')}), which phx does not push into the guest; use features/lib/phx.sh (phx_log, phx_entry, phx_apt_install, …) instead`;
    case 'host-side-commands':
      return `${item.file}: drives the guest from the host (${item.commands.map((c) => `${c.command} ×${String(c.count)}`).join(', ')}); phx runs install.sh inside the guest as root, so run those commands directly and read the id from $PHX_ID, not $1`;
    case 'jq-not-converted':
      return `${item.file}: reads config through jq expressions phx could not turn into JSON pointers (${item.expressions.map((e) => JSON.stringify(e)).join(', ')}); add the keys they read to "reads" in its manifest`;
    case 'reads-host-config':
      return `${item.file}: reads the hypervisor config (get_global_config_value ${item.expressions.map((e) => JSON.stringify(e)).join(', ')}), which a guest step is not given; make it a feature param or an entry key`;
    case 'reads-config-file':
      return `${item.file}: runs jq on a Phoenix config file itself (line ${item.lines.join(', ')}); read the entry from $PHX_ENTRY (phx_entry /key) instead`;
    case 'tree-files':
      return `${item.file}: uses other files of the bash tree (${item.paths.join(', ')}); copy what it needs into its feature folder and refer to it relative to the script`;
    case 'missing-feature':
      return `feature ${item.name} is used by ${item.guests.join(', ')} but the tree has no installer for it; write features/${item.name}/install.sh (phx validate reports it until then)`;
    case 'missing-app-script':
      return `application script ${item.script} is named by ${item.guests.join(', ')} but is not in the tree's bin/; add features/apps/${item.script} or drop application_script (phx validate reports it until then)`;
    case 'lxc-and-vm-scripts':
      return `feature ${item.name} has an LXC and a VM installer: install.sh is the LXC one, the VM one is kept as ${item.kept}; merge them so one install.sh serves both`;
    case 'feature-kind-missing':
      return `feature ${item.name} is used by ${item.guests.join(', ')}, but the tree has only ${item.from}; make features/${item.name}/install.sh serve that kind too and add it to "targets" in feature.json (phx validate reports it until then)`;
    case 'missing-config':
      return `configs/${item.config} is missing: the tree has no etc/${item.config}`;
    case 'config-not-json':
      return `configs/${item.config} is not valid JSON; phx validate shows where`;
    case 'bad-feature-name':
      return `${item.from} was not imported: "${item.name}" cannot be a feature folder name (reserved or not a plain name)`;
  }
}
