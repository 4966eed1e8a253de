// The sim node's tools for the host services (issue 10): exportfs,
// testparm, smbpasswd, the account tools (id, getent, useradd, usermod,
// gpasswd, chpasswd, install), pveum, `pvesm add nfs`, and the writes of the ARC limit (tee
// to its sysfs parameter, update-initramfs), each refusing what the real one
// refuses with its wording. Dispatched by runner.ts before the pct table;
// a command line this file does not model is left to that table (undefined).
import { posix } from 'node:path';
import { done, type OpEnv, type Outcome, type SimNode } from './node.ts';
import {
  digestOf,
  HostServicesStore,
  systemGroups,
  type HostServicesState,
} from './host-services-state.ts';
import { parseExports } from './exports-file.ts';
import { checkSmbConf } from './smb-conf.ts';
import { readHostFile, writeHostFile } from './host-files.ts';

const fail = (message: string, exitCode = 1): Outcome => ({
  exitCode,
  stdout: '',
  stderr: message.endsWith('\n') ? message : `${message}\n`,
});

const ARC_PARAM = '/sys/module/zfs/parameters/zfs_arc_max';
/** Units whose reload the services here need; others are left to the pct table. */
const units = new Set(['smbd', 'nmbd', 'nfs-server', 'nfs-kernel-server']);
/** Proxmox's built-in roles. */
const roles = new Set([
  'Administrator',
  'NoAccess',
  'PVEAdmin',
  'PVEAuditor',
  'PVEDatastoreAdmin',
  'PVEDatastoreUser',
  'PVEMappingAdmin',
  'PVEMappingUser',
  'PVEPoolAdmin',
  'PVEPoolUser',
  'PVESDNAdmin',
  'PVESDNUser',
  'PVESysAdmin',
  'PVETemplateUser',
  'PVEUserAdmin',
  'PVEVMAdmin',
  'PVEVMUser',
]);
const userNamePattern = /^[a-z_][a-z0-9_.-]*\$?$/;

/** `--name value` / `-n value` of an argv. */
function opt(words: readonly string[], ...names: string[]): string | undefined {
  const i = words.findIndex((w) => names.includes(w));
  return i < 0 ? undefined : words[i + 1];
}

function normal(path: string): string {
  return posix.normalize(path).replace(/(.)\/+$/, '$1');
}

class Tools {
  private readonly store: HostServicesStore;

  constructor(
    private readonly node: SimNode,
    private readonly env: OpEnv,
  ) {
    this.store = new HostServicesStore(node.store.dir);
  }

  private folderExists(path: string): boolean {
    return this.node.paths.folder(normal(path)) !== undefined;
  }

  /** Record a folder in the node's folder model (host-paths.ts), owned by `uid:gid`. */
  private makeFolder(path: string, uid: number, gid: number): void {
    const state = this.node.paths.read();
    state.folders[normal(path)] = { uid, gid };
    this.node.paths.write(state);
  }

  private groupsOf(s: HostServicesState, name: string): string[] {
    const a = s.accounts[name];
    return a === undefined ? [] : [name, ...a.groups.filter((g) => g !== name)];
  }

  private groupExists(s: HostServicesState, group: string): boolean {
    return systemGroups.has(group) || Object.hasOwn(s.accounts, group);
  }

  async exportfs(words: readonly string[]): Promise<Outcome> {
    if (!(words.includes('-ra') || (words.includes('-r') && words.includes('-a'))))
      return fail(`exportfs: the sim models 'exportfs -ra' only, not '${words.join(' ')}'`);
    const text = (await readHostFile(this.node, '/etc/exports', this.env)) ?? '';
    const { lines, errors } = parseExports(text);
    if (errors.length > 0) return fail(errors.join('\n'));
    const missing = lines.filter((l) => !this.folderExists(l.path));
    if (missing.length > 0)
      return fail(
        missing
          .map((l) => `exportfs: Failed to stat ${l.path}: No such file or directory`)
          .join('\n'),
      );
    const s = this.store.read();
    s.exported = lines.map((l) => l.path);
    this.store.write(s);
    return done();
  }

  async testparm(words: readonly string[]): Promise<Outcome> {
    const file = words.filter((w) => !w.startsWith('-')).at(0) ?? '/etc/samba/smb.conf';
    const text = await readHostFile(this.node, file, this.env);
    if (text === undefined) return fail(`Can't load ${file} - run testparm to debug it`);
    const { errors, warnings, sections } = checkSmbConf(text);
    const stderr = [`Load smb config files from ${file}`, ...warnings, ...errors];
    if (errors.length > 0)
      return { exitCode: 1, stdout: '', stderr: `${stderr.join('\n')}\nError loading services.\n` };
    stderr.push('Loaded services file OK.');
    return {
      exitCode: 0,
      stdout: sections.map((n) => `[${n}]\n`).join(''),
      stderr: `${stderr.join('\n')}\n`,
    };
  }

  smbpasswd(words: readonly string[], stdin: string | undefined): Outcome {
    const name = words.filter((w) => !w.startsWith('-')).at(-1);
    if (!words.includes('-s') || !words.includes('-a') || name === undefined)
      return fail("smbpasswd: the sim models 'smbpasswd -s -a USER' only (password on stdin)");
    const [first, second] = (stdin ?? '').split('\n');
    if (first === undefined || second === undefined || first === '')
      return fail('Unable to get new password.');
    if (first !== second)
      return fail('Mismatch - password unchanged.\nUnable to get new password.');
    const s = this.store.read();
    if (!Object.hasOwn(s.accounts, name)) return fail(`Failed to add entry for user ${name}.`);
    const existed = Object.hasOwn(s.samba, name);
    s.samba[name] = digestOf(first);
    this.store.write(s);
    return done(existed ? '' : `Added user ${name}.\n`);
  }

  id(words: readonly string[]): Outcome {
    const name = words.filter((w) => !w.startsWith('-')).at(0);
    if (name === undefined) return done('0\n');
    const s = this.store.read();
    const a = s.accounts[name];
    if (a === undefined) return fail(`id: '${name}': no such user`);
    if (words.includes('-u')) return done(`${a.uid}\n`);
    if (words.includes('-nG')) return done(`${this.groupsOf(s, name).join(' ')}\n`);
    return fail(`id: the sim models 'id -u USER' and 'id -nG USER' only`);
  }

  getent(words: readonly string[]): Outcome {
    const [db, name] = words;
    if (db !== 'passwd' || name === undefined)
      return fail("getent: the sim models 'getent passwd USER' only", 1);
    const a = this.store.read().accounts[name];
    if (a === undefined) return { exitCode: 2, stdout: '', stderr: '' };
    return done(`${name}:x:${a.uid}:${a.uid}:${a.comment}:${a.home}:${a.shell}\n`);
  }

  useradd(words: readonly string[]): Outcome {
    const valued = new Set(['--shell', '-s', '--comment', '-c', '--home-dir', '-d', '--uid', '-u']);
    const name = words
      .filter((w, i) => !w.startsWith('-') && !valued.has(words[i - 1] ?? ''))
      .at(-1);
    if (name === undefined) return fail('Usage: useradd [options] LOGIN', 2);
    if (!userNamePattern.test(name) || name.length > 32)
      return fail(`useradd: invalid user name '${name}'`, 3);
    const s = this.store.read();
    if (Object.hasOwn(s.accounts, name)) return fail(`useradd: user '${name}' already exists`, 9);
    if (systemGroups.has(name))
      return fail(
        `useradd: group ${name} exists - if you want to add this user to that group, use -g.`,
        9,
      );
    const system = words.includes('--system') || words.includes('-r');
    const used = Object.values(s.accounts).map((a) => a.uid);
    const base = system ? 100 : 1000;
    const uid = Math.max(base - 1, ...used.filter((u) => (system ? u < 1000 : u >= 1000))) + 1;
    const home = opt(words, '--home-dir', '-d') ?? `/home/${name}`;
    s.accounts[name] = {
      uid,
      home,
      shell: opt(words, '--shell', '-s') ?? '/bin/sh',
      comment: opt(words, '--comment', '-c') ?? '',
      groups: [],
    };
    this.store.write(s);
    if (words.includes('--create-home') || words.includes('-m')) this.makeFolder(home, uid, uid);
    return done();
  }

  usermod(words: readonly string[]): Outcome {
    const name = words.at(-1);
    const groups = opt(words, '-aG', '-G');
    if (!words.includes('-aG') || groups === undefined || name === undefined)
      return fail("usermod: the sim models 'usermod -aG GROUPS USER' only", 2);
    const s = this.store.read();
    const a = s.accounts[name];
    if (a === undefined) return fail(`usermod: user '${name}' does not exist`, 6);
    for (const g of groups.split(',')) {
      if (!this.groupExists(s, g)) return fail(`usermod: group '${g}' does not exist`, 6);
      if (!a.groups.includes(g)) a.groups.push(g);
    }
    this.store.write(s);
    return done();
  }

  gpasswd(words: readonly string[]): Outcome {
    const [flag, name, group] = words;
    if (flag !== '-d' || name === undefined || group === undefined)
      return fail("gpasswd: the sim models 'gpasswd -d USER GROUP' only", 2);
    const s = this.store.read();
    const a = s.accounts[name];
    if (!this.groupExists(s, group))
      return fail(`gpasswd: group '${group}' does not exist in /etc/group`, 3);
    if (a === undefined || !a.groups.includes(group))
      return fail(`gpasswd: user '${name}' is not a member of '${group}'`, 3);
    a.groups = a.groups.filter((g) => g !== group);
    this.store.write(s);
    return done(`Removing user ${name} from group ${group}\n`);
  }

  chpasswd(words: readonly string[], stdin: string | undefined): Outcome {
    if (!words.includes('-e'))
      return fail("chpasswd: the sim models 'chpasswd -e' only (hashes on stdin)");
    const s = this.store.read();
    const lines = (stdin ?? '').split('\n').filter((l) => l !== '');
    for (const [i, line] of lines.entries()) {
      const at = line.indexOf(':');
      const name = at < 0 ? line : line.slice(0, at);
      const a = s.accounts[name];
      if (at <= 0 || a === undefined)
        return fail(`chpasswd: (line ${i + 1}, user ${name}) password not changed`);
      a.passwordDigest = digestOf(line.slice(at + 1));
    }
    this.store.write(s);
    return done();
  }

  /** `install -d -m MODE -o U -g G DIR` (a folder) or `install -m MODE -o U -g G /dev/stdin FILE`. */
  async install(words: readonly string[], stdin: string | undefined): Promise<Outcome> {
    const owner = opt(words, '-o');
    const group = opt(words, '-g');
    const valued = new Set(['-m', '-o', '-g']);
    const operands = words.filter((w, i) => !w.startsWith('-') && !valued.has(words[i - 1] ?? ''));
    const s = this.store.read();
    const uid = owner === undefined ? 0 : s.accounts[owner]?.uid;
    if (uid === undefined) return fail(`install: invalid user '${owner ?? ''}'`);
    const gid = group === undefined ? 0 : s.accounts[group]?.uid;
    if (gid === undefined) return fail(`install: invalid group '${group ?? ''}'`);
    if (words.includes('-d')) {
      for (const dir of operands) {
        if (!dir.startsWith('/')) return fail(`install: relative paths are not modelled: '${dir}'`);
        // install -d makes the parents too.
        for (let at = normal(dir); !this.folderExists(at); at = posix.dirname(at))
          this.makeFolder(at, 0, 0);
        this.makeFolder(dir, uid, gid);
      }
      return done();
    }
    const [source, dest] = operands;
    if (source !== '/dev/stdin' || dest === undefined || operands.length !== 2)
      return fail("install: the sim models 'install [-m M] [-o U] [-g G] /dev/stdin FILE' only");
    if (!this.folderExists(posix.dirname(dest)))
      return fail(`install: cannot create regular file '${dest}': No such file or directory`);
    await writeHostFile(this.node, dest, stdin ?? '', this.env);
    return done();
  }

  pveum(words: readonly string[]): Outcome {
    const [noun, verb, ...rest] = words;
    const s = this.store.read();
    if (noun === 'user' && verb === 'list') {
      const list = Object.entries(s.pveUsers)
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([userid, u]) => ({
          userid,
          enable: 1,
          ...(u.comment === undefined ? {} : { comment: u.comment }),
        }));
      return done(`${JSON.stringify(list)}\n`);
    }
    if (noun === 'user' && verb === 'add') {
      const userid = rest[0];
      const m = /^([^\s:/@]+)@(pam|pve)$/.exec(userid ?? '');
      if (userid === undefined || !m)
        return fail(
          `400 Parameter verification failed.\nuserid: value '${userid ?? ''}' does not look like a valid user name`,
          255,
        );
      if (Object.hasOwn(s.pveUsers, userid))
        return fail(`create user failed: user '${userid}' already exists`, 255);
      const comment = opt(rest, '--comment');
      s.pveUsers[userid] = comment === undefined ? {} : { comment };
      this.store.write(s);
      return done();
    }
    if (noun === 'acl' && verb === 'modify') {
      const path = rest[0];
      const users = opt(rest, '--users', '-users');
      const roleList = opt(rest, '--roles', '-roles');
      if (path === undefined || !path.startsWith('/'))
        return fail(
          `400 Parameter verification failed.\npath: invalid ACL path '${path ?? ''}'`,
          255,
        );
      if (users === undefined || roleList === undefined)
        return fail(
          '400 Parameter verification failed.\nroles: property is missing and it is not optional',
          255,
        );
      for (const u of users.split(','))
        if (!Object.hasOwn(s.pveUsers, u)) return fail(`user '${u}' does not exist`, 255);
      for (const r of roleList.split(','))
        if (!roles.has(r)) return fail(`role '${r}' does not exist`, 255);
      for (const u of users.split(','))
        for (const role of roleList.split(','))
          if (!s.acl.some((e) => e.path === path && e.ugid === u && e.role === role))
            s.acl.push({ path, ugid: u, role });
      this.store.write(s);
      return done();
    }
    return fail(`400 unknown command 'pveum ${noun ?? ''} ${verb ?? ''}'`, 255);
  }

  /**
   * `pvesm add nfs ID --server S --export PATH …`: the node is the NFS server
   * of the Phoenix setup, so a path its last `exportfs -ra` did not export is
   * refused as the mount at activation is ("access denied by server").
   */
  pvesmAddNfs(words: readonly string[]): Outcome {
    const id = words[2];
    const server = opt(words, '--server');
    const exported = opt(words, '--export');
    const missing = (p: string) =>
      fail(
        `400 Parameter verification failed.\n${p}: property is missing and it is not optional`,
        255,
      );
    if (id === undefined) return fail('400 not enough arguments', 255);
    if (server === undefined || server === '') return missing('server');
    if (exported === undefined) return missing('export');
    const storage = this.node.host.read();
    if (Object.hasOwn(storage.storages, id))
      return fail(`create storage failed: storage ID '${id}' already defined`, 255);
    if (!this.store.read().exported.includes(exported))
      return fail(
        `create storage failed: mount error: mount.nfs: access denied by server while mounting ${server}:${exported}`,
        255,
      );
    storage.storages[id] = {
      type: 'nfs',
      target: exported,
      content: opt(words, '--content') ?? '',
    };
    this.node.host.write(storage);
    return done();
  }

  arcTee(stdin: string | undefined): Outcome {
    const value = (stdin ?? '').trim();
    // The module parameter takes an unsigned integer; anything else is EINVAL.
    if (!/^\d+$/.test(value)) return fail(`tee: ${ARC_PARAM}: Invalid argument`);
    const s = this.store.read();
    s.arcMax = Number(value);
    this.store.write(s);
    return done(stdin ?? '');
  }

  systemctl(words: readonly string[]): Outcome {
    const unit = (words[1] ?? '').replace(/\.service$/, '');
    const s = this.store.read();
    s.reloads[unit] = (s.reloads[unit] ?? 0) + 1;
    this.store.write(s);
    return done();
  }
}

/** The outcome of a host-service command line, or undefined when it is not one (left to pct.ts). */
export async function runHostService(
  node: SimNode,
  argv: readonly string[],
  stdin: string | undefined,
  env: OpEnv,
): Promise<Outcome | undefined> {
  const tool = posix.basename(argv[0] ?? '');
  const words = argv.slice(1);
  const t = new Tools(node, env);
  const pick = (): (() => Promise<Outcome> | Outcome) | undefined => {
    switch (tool) {
      case 'exportfs':
        return () => t.exportfs(words);
      case 'testparm':
        return () => t.testparm(words);
      case 'smbpasswd':
        return () => t.smbpasswd(words, stdin);
      case 'id':
        return () => t.id(words);
      case 'getent':
        return () => t.getent(words);
      case 'useradd':
        return () => t.useradd(words);
      case 'usermod':
        return () => t.usermod(words);
      case 'gpasswd':
        return () => t.gpasswd(words);
      case 'chpasswd':
        return () => t.chpasswd(words, stdin);
      case 'install':
        return () => t.install(words, stdin);
      case 'pveum':
        return () => t.pveum(words);
      case 'pvesm':
        return words[0] === 'add' && words[1] === 'nfs' ? () => t.pvesmAddNfs(words) : undefined;
      case 'update-initramfs':
        return () => done();
      case 'tee':
        return words.length === 1 && words[0] === ARC_PARAM ? () => t.arcTee(stdin) : undefined;
      case 'systemctl':
        return units.has((words[1] ?? '').replace(/\.service$/, ''))
          ? () => t.systemctl(words)
          : undefined;
      default:
        return undefined;
    }
  };
  const run = pick();
  if (run === undefined) return undefined;
  // The command's simulated time and blocking faults come before its effect.
  await env.pause();
  return run();
}
