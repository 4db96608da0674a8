import { describe, expect, it } from 'vitest';
import { formatBytes, renderRunCommand, shellQuote } from '../../../app/core/containers-command';
import { RunOptions } from '../../../app/contract/containers';

const opts = (o: unknown) => RunOptions.parse(o);

describe('shellQuote', () => {
  it.each([
    ['plain', 'plain'],
    ['a/b:c=d,e@f%g', 'a/b:c=d,e@f%g'],
    ['', "''"],
    ['two words', "'two words'"],
    ["it's", "'it'\\''s'"],
    ['$HOME', "'$HOME'"],
    ['a"b', `'a"b'`],
    ['semi;colon', "'semi;colon'"],
  ])('%s → %s', (s, q) => expect(shellQuote(s)).toBe(q));
});

describe('renderRunCommand', () => {
  it('renders every option as docker run flags, shell-quoted', () => {
    const r = renderRunCommand(
      opts({
        image: 'registry.example.com/team/app:1.2',
        name: 'app',
        command: ['sh', '-c', 'echo "$X"; sleep 1'],
        workingDir: '/srv',
        user: '1000:1000',
        env: ['X=hello world', { name: 'Y', value: '' }],
        envFile: '/home/me/app.env',
        ports: [{ hostIp: '127.0.0.1', hostPort: 8080, containerPort: 80 }, { containerPort: 53, protocol: 'udp' }, { hostIp: '::1', containerPort: 443 }],
        mounts: [
          { type: 'volume', source: 'data', target: '/data' },
          { type: 'bind', source: '/home/me/my,dir', target: '/in', readOnly: true },
          { type: 'tmpfs', target: '/tmp' },
        ],
        restartPolicy: { name: 'on-failure', maximumRetryCount: 5 },
        limits: { cpus: 1.5, memoryBytes: 512 * 1024 * 1024, pidsLimit: 100 },
        security: { readonlyRootfs: true, capAdd: ['NET_ADMIN'], capDrop: ['ALL'], noNewPrivileges: true, seccompProfile: 'unconfined', apparmorProfile: 'docker-default' },
        network: 'backend',
        hostname: 'app-1',
        labels: { tier: 'web' },
        tty: true,
        openStdin: true,
      }),
    );
    expect(r.docker).toBe(
      [
        'docker run -d --name app --hostname app-1 --user 1000:1000 --workdir /srv --env-file /home/me/app.env',
        "-e 'X=hello world' -e Y=",
        "-p 127.0.0.1:8080:80 -p 53/udp -p '[::1]::443'",
        "--mount type=volume,source=data,target=/data --mount 'type=bind,\"source=/home/me/my,dir\",target=/in,readonly' --mount type=tmpfs,target=/tmp",
        '--restart on-failure:5 --cpus 1.5 --memory 512m --pids-limit 100',
        '--read-only --cap-add NET_ADMIN --cap-drop ALL --security-opt no-new-privileges --security-opt seccomp=unconfined --security-opt apparmor=docker-default',
        '--network backend --label tier=web -t -i',
        `registry.example.com/team/app:1.2 sh -c 'echo "$X"; sleep 1'`,
      ].join(' '),
    );
    expect(r.nerdctl).toBe(r.docker.replace(/^docker run/, 'nerdctl run'));
    expect(r.warnings).toEqual([]);
  });

  it('handles --rm, a cleared entrypoint and a multi-word one', () => {
    expect(renderRunCommand(opts({ image: 'x', autoRemove: true, entrypoint: [] })).docker).toBe("docker run -d --rm --entrypoint '' x");
    const multi = renderRunCommand(opts({ image: 'x', entrypoint: ['sh', '-c'], command: ['echo hi'] }));
    expect(multi.docker).toBe("docker run -d --entrypoint sh x -c 'echo hi'");
    expect(multi.warnings).toEqual([]);
    expect(renderRunCommand(opts({ image: 'x', entrypoint: ['sh', '-c'] })).warnings[0]).toMatch(/several words/);
  });

  it('writes sizes as docker does', () => {
    expect(formatBytes(64 * 1024 * 1024)).toBe('64m');
    expect(formatBytes(2 * 1024 ** 3)).toBe('2g');
    expect(formatBytes(6 * 1024 * 1024 + 512)).toBe(String(6 * 1024 * 1024 + 512));
  });
});
